using System.Text.RegularExpressions;
using CoS.Distributed.Silo.Storage;

namespace CoS.Distributed.Silo.Tests.Storage;

public sealed partial class StorageNamesTests
{
    // Azure's rule: 3-63 characters, lowercase letters, digits and single hyphens, starting and ending with a letter or digit.
    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ValidContainer();

    [Theory]
    [InlineData("quickstart", "cos-quickstart")]
    [InlineData("paper-protocol-2", "cos-paper-protocol-2")]
    [InlineData("a", "cos-a")]
    public void Plain_sweep_names_map_to_readable_containers(string sweep, string container) =>
        Assert.Equal(container, StorageNames.ContainerName(sweep));

    [Theory]
    [InlineData("My Sweep")]
    [InlineData("--")]
    [InlineData("é")]
    [InlineData("a--b")]
    [InlineData("trailing-")]
    [InlineData("a-very-long-sweep-name-that-goes-on-and-on-well-past-sixty-three-characters-and-more")]
    [InlineData("ReLU vs CoS / ShuffleNetV2 (5 seeds, 30 epochs), second try after fixing the schedule")]
    public void Any_sweep_name_maps_to_a_valid_container(string sweep)
    {
        var container = StorageNames.ContainerName(sweep);

        Assert.Matches(ValidContainer(), container);
        Assert.StartsWith("cos-", container, StringComparison.Ordinal);
        Assert.Equal(container, StorageNames.ContainerName(sweep));
    }

    [Fact]
    public void Names_that_differ_only_in_case_or_punctuation_get_different_containers()
    {
        var names = new[] { "MySweep", "mysweep", "my sweep", "my-sweep", "my_sweep", "MY SWEEP" };

        Assert.Equal(names.Length, names.Select(StorageNames.ContainerName).Distinct().Count());
        Assert.Equal("cos-my-sweep", StorageNames.ContainerName("my-sweep"));
    }

    [Fact]
    public void Long_names_sharing_a_prefix_get_different_containers()
    {
        var prefix = new string('x', 70);

        Assert.NotEqual(StorageNames.ContainerName(prefix + "1"), StorageNames.ContainerName(prefix + "2"));
        Assert.Equal(63, StorageNames.ContainerName(prefix + "1").Length);
    }

    [Theory]
    [InlineData("0a1b2c3d", "0a1b2c3d")]
    [InlineData("cell.v2_final-3", "cell.v2_final-3")]
    public void Plain_segments_are_kept(string name, string segment) => Assert.Equal(segment, StorageNames.Segment(name));

    [Theory]
    [InlineData("cell/abc")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a b:c*d?e")]
    public void Unsafe_segments_become_plain_and_distinct(string name)
    {
        var segment = StorageNames.Segment(name);

        Assert.Matches("^[A-Za-z0-9_-]+$", segment);
        Assert.NotEqual(StorageNames.Segment(name + "x"), segment);
    }

    [Fact]
    public void Checkpoint_names_sort_like_their_epochs_and_parse_back()
    {
        var names = new[] { 100, 9, 10, 0, 999_999 }.Select(e => StorageNames.CheckpointFileName(e, 1)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["epoch-000000.attempt-0001.ckpt", "epoch-000009.attempt-0001.ckpt", "epoch-000010.attempt-0001.ckpt",
            "epoch-000100.attempt-0001.ckpt", "epoch-999999.attempt-0001.ckpt"], names);
        Assert.True(StorageNames.TryParseCheckpoint("epoch-000012.attempt-0003.ckpt", out var epoch, out var attempt));
        Assert.Equal((12, 3), (epoch, attempt));
        Assert.True(StorageNames.TryParseCheckpoint(StorageNames.CheckpointFileName(7, 123_456), out epoch, out attempt));
        Assert.Equal((7, 123_456), (epoch, attempt));
        Assert.Throws<ArgumentOutOfRangeException>(() => StorageNames.CheckpointFileName(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StorageNames.CheckpointFileName(1, 0));
    }

    [Fact]
    public void A_name_from_before_attempts_parses_as_attempt_zero()
    {
        Assert.True(StorageNames.TryParseCheckpoint("epoch-000012.ckpt", out var epoch, out var attempt));
        Assert.Equal((12, 0), (epoch, attempt));
    }

    [Theory]
    [InlineData(".epoch-000012.attempt-0001.ckpt.1234.tmp")]
    [InlineData("epoch-12.ckpt")]
    [InlineData("epoch-00001x.ckpt")]
    [InlineData("epoch-000012.attempt-01.ckpt")]
    [InlineData("epoch-000012.attempt-00001.ckpt")]
    [InlineData("epoch-000012.attempt-0000.ckpt")]
    [InlineData("epoch-000012.attempt-.ckpt")]
    [InlineData("epoch-000012.attempt-0001.ckpt.bak")]
    [InlineData("epoch-0000120.ckpt")]
    public void Names_no_store_writes_are_not_checkpoints(string name) =>
        Assert.False(StorageNames.TryParseCheckpoint(name, out _, out _));
}
