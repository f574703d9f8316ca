using CoS.Distributed.Training.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Activations;

public class CoSActivationTests
{
    private static readonly double[] ReferenceInputs = [-5, -2, -1, -0.5, -0.2, 0, 0.5, 1, 2, 5];

    private readonly Activation _cos = new CoSActivation();
    private readonly Activation _composite = new FormulaActivation(CoSActivation.CompositeFormula, "cos_composite");

    [Fact]
    public void CoSMatchesThePaperReferenceTable()
    {
        double[] expected = [0.2165, 0.0115, -0.0256, -0.0089, -0.0366, 0, 0.4911, 0.9744, 2.0115, 5.2165];
        var actual = FiniteDifferences.Values(_cos, ReferenceInputs);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Fact]
    public void SwishMatchesThePaperReferenceTable()
    {
        double[] expected = [-0.0335, -0.2384, -0.2689, -0.1888, -0.0900, 0, 0.3112, 0.7311, 1.7616, 4.9665];
        var actual = FiniteDifferences.Values(ActivationRegistry.Get("swish"), ReferenceInputs);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 4);
    }

    [Fact]
    public void ReluIsZeroForNegativeInputsAndTheIdentityOtherwise()
    {
        var actual = FiniteDifferences.Values(ActivationRegistry.Get("relu"), ReferenceInputs);
        Assert.Equal(ReferenceInputs.Select(x => Math.Max(0, x)).ToArray(), actual);
    }

    [Fact]
    public void CoSHasItsMinimumNearMinus0point038AndThreeTurningPointsOnTheNegativeSide()
    {
        var xs = Enumerable.Range(0, 60001).Select(i => -6 + i * 1e-4).ToArray();
        var ys = FiniteDifferences.Values(_cos, xs);

        Assert.Equal(-0.038, ys.Min(), 3);
        var turningPoints = Enumerable.Range(1, xs.Length - 2)
            .Count(i => (ys[i] - ys[i - 1]) * (ys[i + 1] - ys[i]) < 0);
        Assert.Equal(3, turningPoints);
    }

    [Fact]
    public void CoSTendsToAQuarterBelowAndToXPlusAQuarterAbove()
    {
        var ys = FiniteDifferences.Values(_cos, -40, -1000, 40, 1000);
        Assert.Equal(0.25, ys[0], 12);
        Assert.Equal(0.25, ys[1], 12);
        Assert.Equal(40.25, ys[2], 12);
        Assert.Equal(1000.25, ys[3], 12);
    }

    [Fact]
    public void CoSDerivativeMatchesCentralDifferencesInFloat64()
    {
        FiniteDifferences.AssertDerivativeMatches(_cos, FiniteDifferences.Inputs);
    }

    [Fact]
    public void CompositeCoSFormulaDerivativeMatchesCentralDifferences()
    {
        FiniteDifferences.AssertDerivativeMatches(_composite, FiniteDifferences.Inputs);
    }

    [Fact]
    public void CustomCoSValuesAndDerivativeEqualTheCompositeInFloat32()
    {
        // Batch-normalised activation inputs are about unit scale. The odd element count makes the fused loops
        // run on several threads and end on a partial vector.
        using var scope = torch.NewDisposeScope();
        var input = torch.randn([3, 5, 97, 101], generator: torch.manual_seed(7));

        var (custom, customDerivative) = ValueAndGradient(_cos, input, torch.ones_like(input));
        var (composite, compositeDerivative) = ValueAndGradient(_composite, input, torch.ones_like(input));

        Assert.True((custom - composite).abs().max().item<float>() <= 1e-6f);
        Assert.True((customDerivative - compositeDerivative).abs().max().item<float>() <= 1e-6f);
    }

    [Fact]
    public void CustomCoSGradientIsWithinFourFloat32UlpsOfTheFloat64GradientLikeTheComposite()
    {
        using var scope = torch.NewDisposeScope();
        var generator = torch.manual_seed(11);
        var input = torch.randn([2, 7, 61, 67], generator: generator) * 3;
        var upstream = torch.randn([2, 7, 61, 67], generator: generator);
        var (_, exact) = ValueAndGradient(_composite, input.to_type(ScalarType.Float64), upstream.to_type(ScalarType.Float64));
        // Relative to |gradient| + |upstream|: where the two terms of CoS' cancel, only the upstream sets the scale.
        var scale = exact.abs() + upstream.to_type(ScalarType.Float64).abs();

        foreach (var activation in new[] { _cos, _composite })
        {
            var (_, gradient) = ValueAndGradient(activation, input, upstream);
            var error = ((gradient.to_type(ScalarType.Float64) - exact).abs() / scale).max().item<double>();
            Assert.True(error <= 4 * 1.19e-7, $"{activation.Name} gradient is off by {error} relative");
        }
    }

    [Fact]
    public void CoSGivesTheSameValuesWithAndWithoutAutograd()
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.linspace(-30, 30, 1001);
        Tensor withoutGrad;
        using (torch.no_grad()) withoutGrad = _cos.Forward(input);
        var withGrad = _cos.Forward(input.clone().requires_grad_());
        Assert.True(withGrad.requires_grad);
        Assert.Equal(withoutGrad.data<float>().ToArray(), withGrad.detach().data<float>().ToArray());
    }

    [Fact]
    public void CoSOfANonContiguousTensorEqualsCoSOfItsContiguousCopy()
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.randn(64, 33).t();
        Assert.False(input.is_contiguous());
        var expected = _cos.Forward(input.contiguous());
        Assert.True(_cos.Forward(input).allclose(expected, rtol: 0, atol: 0));
    }

    [Fact]
    public void CoSOfARowSliceReadsTheSliceNotTheStartOfItsStorage()
    {
        using var scope = torch.NewDisposeScope();
        var rows = torch.randn(10, 33).narrow(0, 3, 4);
        Assert.True(rows.is_contiguous());
        Assert.True(_cos.Forward(rows).allclose(_cos.Forward(rows.clone()), rtol: 0, atol: 0));
    }

    [Fact]
    public void CoSInBfloat16AgreesWithFloat32ToBfloat16Precision()
    {
        // bfloat16 cannot use the fused float loops, so this runs the TorchSharp-operation path (as on a GPU).
        using var scope = torch.NewDisposeScope();
        var input = torch.linspace(-6, 6, 257);
        var (reference, referenceGradient) = ValueAndGradient(_cos, input, torch.ones_like(input));
        var (half, halfGradient) = ValueAndGradient(_cos, input.to_type(ScalarType.BFloat16), torch.ones(257, dtype: ScalarType.BFloat16));

        Assert.Equal(ScalarType.BFloat16, half.dtype);
        Assert.True((half.to_type(ScalarType.Float32) - reference).abs().max().item<float>() <= 0.05f);
        Assert.True((halfGradient.to_type(ScalarType.Float32) - referenceGradient).abs().max().item<float>() <= 0.05f);
    }

    [Fact]
    public void CoSOfAnEmptyTensorOrAScalarHasTheInputShape()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal([0L, 3L], _cos.Forward(torch.zeros(0, 3)).shape);
        var scalar = _cos.Forward(torch.tensor(1.0f));
        Assert.Empty(scalar.shape);
        Assert.Equal(0.9744f, scalar.item<float>(), 4);
    }

    [Fact]
    public void CoSPassesNaNThroughAndStaysFiniteForHugeInputs()
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.tensor(new[] { float.NaN, -1e30f, -100f, 100f, 1e30f }, requires_grad: true);
        var output = _cos.Forward(input);
        output.sum().backward();
        var values = output.detach().data<float>().ToArray();
        var slopes = input.grad!.data<float>().ToArray();

        Assert.True(float.IsNaN(values[0]));
        Assert.Equal([0.25f, 0.25f, 100.25f, 1e30f], values[1..]);
        Assert.All(slopes[1..3], slope => Assert.InRange(Math.Abs(slope), 0, 1e-7));
        Assert.Equal([1f, 1f], slopes[3..]);
    }

    [Fact]
    public void ATrainingStepWithCoSInsideADisposeScopeLeavesNoTensorForTheFinalizer()
    {
        using var input = torch.randn(4, 8, 16, 16).requires_grad_();
        DisposeScopeManager.Statistics.Reset();
        for (var step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            var output = _cos.Forward(input);
            (output * output).mean().backward();
        }
        var statistics = DisposeScopeManager.Statistics;
        Assert.Equal(0, statistics.CreatedOutsideScopeCount);
        Assert.Equal(statistics.CreatedInScopeCount, statistics.DisposedInScopeCount);
        input.grad?.Dispose();
    }

    [Fact]
    public void BackwardThroughStackedCoSLayersKeepsNoHandleOnTheirGradients()
    {
        // Each extra layer may add its output, and nothing else, to what the step still holds after backward.
        using var input = torch.randn(2, 3, 8, 8).requires_grad_();
        int LiveTensorsAfterBackward(int layers)
        {
            using var scope = torch.NewDisposeScope();
            var h = input;
            for (var i = 0; i < layers; i++) h = _cos.Forward(h);
            h.sum().backward();
            return scope.DisposablesView.OfType<Tensor>().Count(t => !t.IsInvalid);
        }

        Assert.Equal(4, LiveTensorsAfterBackward(6) - LiveTensorsAfterBackward(2));
        input.grad?.Dispose();
    }

    private static (Tensor Value, Tensor Gradient) ValueAndGradient(Activation activation, Tensor input, Tensor upstream)
    {
        var x = input.detach().clone().requires_grad_();
        var y = activation.Forward(x);
        y.backward([upstream]);
        return (y.detach(), x.grad!);
    }
}
