using CoS.Distributed.Client.Connections;
using CoS.Distributed.Client.Tests.EndToEnd;

namespace CoS.Distributed.Client.Tests.Connections;

/// <summary>The cluster's address from --cluster, --cluster-file or the environment, so that no secret needs to be on the command line.</summary>
public sealed class ClusterSourcesTests : IDisposable
{
    private const string ConnectionString = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net";

    private readonly string folder = Directory.CreateTempSubdirectory("cos-cluster-files-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string File(string text)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllText(path, text + "\n");
        return path;
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void TheClusterComesFromTheOptionTheFileOrTheEnvironment()
    {
        Assert.Equal("localhost:30000", ClusterSources.Cluster("localhost:30000", null, Environment()).Value);
        Assert.Equal(ConnectionString, ClusterSources.Cluster(null, File(ConnectionString), Environment()).Value);
        Assert.Equal(ConnectionString, ClusterSources.Cluster(null, null, Environment(("COS_CLUSTER", ConnectionString))).Value);
        Assert.Equal(ConnectionString, ClusterSources.Cluster(null, null, Environment(("COS_CLUSTER_FILE", File(ConnectionString)))).Value);
        var none = ClusterSources.Cluster(null, null, Environment());
        Assert.Null(none.Value);
        Assert.Null(none.Problem);
    }

    [Fact]
    public void TheCommandLineWinsOverTheEnvironment()
    {
        var read = ClusterSources.Cluster("localhost:30000", null, Environment(("COS_CLUSTER", ConnectionString)));
        Assert.Equal("localhost:30000", read.Value);
    }

    [Fact]
    public void BothOptionsOrBothVariablesAreAConflict()
    {
        var options = ClusterSources.Cluster("localhost:30000", File(ConnectionString), Environment());
        Assert.Null(options.Value);
        Assert.StartsWith("--cluster and --cluster-file are both given: give one", options.Problem, StringComparison.Ordinal);

        var variables = ClusterSources.Cluster(null, null, Environment(("COS_CLUSTER", "a:1"), ("COS_CLUSTER_FILE", File("b:2"))));
        Assert.StartsWith("COS_CLUSTER and COS_CLUSTER_FILE are both given: give one", variables.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingClusterFileIsNamedAndNothingStarts()
    {
        var missing = Path.Combine(folder, "no-such-file");

        var outcome = await CosRunner.Run("status", "--cluster-file", missing);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"--cluster-file: the file '{missing}' does not exist", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitReportsTheProblemWithTheClusterFileRatherThanAskingForACluster()
    {
        var sweep = Path.Combine(folder, "sweep.yaml");
        System.IO.File.WriteAllText(sweep, "name: s\ndataset: {name: fashion-mnist, path: " + folder + "}\nmodels: [small_cnn]\nactivations: [relu]\nseeds: 1\n");
        var empty = File("");

        var outcome = await CosRunner.Run("submit", sweep, "--cluster-file", empty);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains($"--cluster-file: the file '{empty}' is empty", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("submit needs --cluster", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BothClusterOptionsAreRefused()
    {
        var outcome = await CosRunner.Run("status", "--cluster", "localhost:1", "--cluster-file", File("localhost:2"));

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("--cluster and --cluster-file are both given: give one", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidTlsSettingsAreAllReportedBeforeConnecting()
    {
        var outcome = await CosRunner.Run("status", "--cluster", "localhost:1", "--tls-certificate", "/nonexistent/client.pem", "--tls-thumbprints", "xyz");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("--tls-certificate (COS_TLS_CERTIFICATE): the file '/nonexistent/client.pem' does not exist", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("--tls-thumbprints (COS_TLS_THUMBPRINTS): 'xyz' is not a certificate thumbprint", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("could not reach", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsSettingsFallBackToTheEnvironment()
    {
        var tls = ClusterSources.Tls(null, null, null, "/ca.pem", null, Environment(
            ("COS_TLS_CERTIFICATE", "/client.pfx"), ("COS_TLS_PASSWORD", "p"), ("COS_TLS_CA", "/other.pem"), ("COS_TLS_THUMBPRINTS", "AB")));

        Assert.Equal("/client.pfx", tls.CertificatePath);
        Assert.Equal("p", tls.Password);
        Assert.Null(tls.PasswordFile);
        Assert.Equal("/ca.pem", tls.CaPath);
        Assert.Equal("AB", tls.AllowedThumbprints);
    }
}
