using CoS.Distributed.Training.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Activations;

/// <summary>Checks an activation's autograd derivative against central differences in float64.</summary>
internal static class FiniteDifferences
{
    /// <summary>201 inputs over [-8, 8], shifted off the grid of round numbers so that no kink (0, ties) is hit.</summary>
    public static double[] Inputs { get; } = Enumerable.Range(0, 201).Select(i => -8 + 0.08 * i + 0.0123).ToArray();

    public static void AssertDerivativeMatches(Activation activation, double[] inputs, double tolerance = 1e-6)
    {
        const double h = 1e-5;
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(inputs, dtype: ScalarType.Float64).requires_grad_();
        activation.Forward(x).sum().backward();
        var autograd = x.grad!.data<double>().ToArray();

        double[] numeric;
        using (torch.no_grad())
        {
            var above = activation.Forward(torch.tensor(inputs.Select(v => v + h).ToArray(), dtype: ScalarType.Float64));
            var below = activation.Forward(torch.tensor(inputs.Select(v => v - h).ToArray(), dtype: ScalarType.Float64));
            numeric = ((above - below) / (2 * h)).data<double>().ToArray();
        }

        for (var i = 0; i < inputs.Length; i++)
        {
            var allowed = tolerance * Math.Max(1, Math.Abs(numeric[i]));
            Assert.True(Math.Abs(autograd[i] - numeric[i]) <= allowed,
                $"{activation.Name}: derivative at x = {inputs[i]} is {autograd[i]} by autograd but {numeric[i]} by central differences");
        }
    }

    public static double[] Values(Activation activation, params double[] inputs)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return activation.Forward(torch.tensor(inputs, dtype: ScalarType.Float64)).data<double>().ToArray();
    }
}
