using CoS.Distributed.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Models;

/// <summary>The CIFAR networks against torchvision's own definitions, as recorded by the fixture script.</summary>
public class TorchvisionArchitectureTests
{
    public static TheoryData<string> TorchvisionNames => [.. TorchvisionReference.Names];

    [Theory]
    [InlineData("shufflenet_v2_x1_0", 1_263_854)]
    [InlineData("mobilenet_v2", 2_236_682)]
    [InlineData("squeezenet1_0", 740_554)]
    [InlineData("squeezenet1_1", 727_626)]
    public void ParameterCountWithTenClassesIsTorchvisions(string name, long expected)
    {
        using var model = ModelCatalog.Create(name, new ModelOptions(), () => nn.ReLU());
        Assert.Equal(expected, ModelCatalog.CountParameters(model));
        Assert.Equal(expected, TorchvisionReference.For(name).Parameters);
    }

    [Theory]
    [MemberData(nameof(TorchvisionNames))]
    public void StateDictNamesShapesAndTypesAreTorchvisions(string name)
    {
        var reference = TorchvisionReference.For(name);
        using var model = ModelCatalog.Create(name, new ModelOptions(), () => nn.ReLU());

        AssertSameStateDict(reference, model);
    }

    public static TheoryData<string> MobileNetWidths => [.. TorchvisionReference.MobileNetWidths];

    [Theory]
    [MemberData(nameof(MobileNetWidths))]
    public void MobileNetWidthMultiplierRoundsChannelsAsTorchvision(string width)
    {
        var reference = TorchvisionReference.MobileNetAtWidth(width);
        var options = new ModelOptions { WidthMultiplier = double.Parse(width, System.Globalization.CultureInfo.InvariantCulture) };
        using var model = ModelCatalog.Create("mobilenet_v2", options, () => nn.ReLU());

        AssertSameStateDict(reference, model);
        Assert.Equal(reference.Parameters, ModelCatalog.CountParameters(model));
    }

    [Theory]
    [MemberData(nameof(TorchvisionNames))]
    public void SeededInitialWeightsAreTorchvisionsForTheSameSeed(string name)
    {
        var reference = TorchvisionReference.For(name);
        torch.manual_seed(reference.InitSeed!.Value);
        using var model = ModelCatalog.Create(name, new ModelOptions(), () => nn.ReLU());
        var state = model.state_dict();

        foreach (var entry in reference.State.Where(e => e.Head is not null))
        {
            using var values = state[entry.Name].to_type(ScalarType.Float64).flatten();
            var head = values[..entry.Head!.Length].data<double>().ToArray();
            for (var i = 0; i < head.Length; i++)
                Assert.True(Math.Abs(head[i] - entry.Head[i]) <= 1e-6, $"{entry.Name}[{i}]: torchvision {entry.Head[i]}, ours {head[i]}");
            Assert.True(Math.Abs(values.mean().item<double>() - entry.Mean!.Value) <= 1e-6, $"{entry.Name} mean");
            if (values.numel() > 1)
                Assert.True(Math.Abs(values.std().item<double>() - entry.Std!.Value) <= 1e-6, $"{entry.Name} std");
        }
    }

    [Theory]
    [MemberData(nameof(TorchvisionNames))]
    public void InjectedActivationStandsWhereTorchvisionHasReLU(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelCatalog.Create(name, new ModelOptions(), () => new MarkedActivation());
        var modules = model.modules().ToList();
        var marked = modules.OfType<MarkedActivation>().ToList();

        model.forward(torch.randn(1, 3, 32, 32));

        Assert.Equal(TorchvisionReference.For(name).ReluModules, marked.Count);
        Assert.All(marked, m => Assert.Equal(1, m.Calls));
        Assert.DoesNotContain(modules, m => m is TorchSharp.Modules.ReLU or TorchSharp.Modules.ReLU6);
        Assert.Equal(TorchvisionReference.For(name).State.Count, model.state_dict().Count);
    }

    private static void AssertSameStateDict(TorchvisionReference.Architecture reference, nn.Module model)
    {
        var ours = model.state_dict().ToDictionary(kv => kv.Key, kv => Describe(kv.Value));
        var theirs = reference.State.ToDictionary(e => e.Name, e => $"{string.Join("x", e.Shape)} {e.Dtype}");

        Assert.Empty(theirs.Keys.Except(ours.Keys));
        Assert.Empty(ours.Keys.Except(theirs.Keys));
        foreach (var (key, description) in theirs) Assert.True(description == ours[key], $"{key}: torchvision {description}, ours {ours[key]}");
    }

    private static string Describe(Tensor tensor) =>
        $"{string.Join("x", tensor.shape)} {tensor.dtype.ToString().ToLowerInvariant()}";
}
