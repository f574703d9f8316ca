using CoS.Distributed.Training.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Models;

/// <summary>Weights saved by PyTorch from torchvision's modules load into ours and give PyTorch's outputs.</summary>
public class TorchvisionWeightsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("shufflenet_v2_x0_5")]
    [InlineData("squeezenet1_1")]
    public void EvalOutputAfterLoadingPyTorchWeightsMatchesPyTorch(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelCatalog.Create(name, new ModelOptions(), () => nn.ReLU());
        var loaded = new Dictionary<string, bool>();
        model.load_py(TorchvisionReference.StateDictPath(name), strict: true, loadedParameters: loaded);
        model.eval();
        var (input, expected) = ReadInputAndOutput(name);

        using var noGrad = torch.no_grad();
        var actual = model.forward(input);

        Assert.Equal(model.state_dict().Count, loaded.Count(kv => kv.Value));
        Assert.Equal(expected.shape, actual.shape);
        var maxDifference = (actual - expected).abs().max().item<float>();
        output.WriteLine($"{name}: max |ours - PyTorch| = {maxDifference:E2}, max |PyTorch| = {expected.abs().max().item<float>():F4}");
        Assert.True(maxDifference <= 1e-4f, $"{name}: largest difference from PyTorch's output is {maxDifference}");
        Assert.True(expected.abs().max().item<float>() > 0.01f, "the reference output should not be trivially small");
    }

    private static (Tensor Input, Tensor Output) ReadInputAndOutput(string name)
    {
        var saved = PyTorchUnpickler.UnpickleStateDict(TorchvisionReference.InputOutputPath(name));
        return ((Tensor)saved["input"]!, (Tensor)saved["output"]!);
    }
}
