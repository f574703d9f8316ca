using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>
/// An element-wise activation function: what a model applies where the original network used ReLU or ReLU6.
/// Instances are stateless and may be shared; <see cref="CreateModule"/> gives each layer its own module.
/// </summary>
public abstract class Activation
{
    /// <summary>The name a user writes in a sweep file (for a formula, the formula text unless named).</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what the function is, for help text and reports.</summary>
    public abstract string Description { get; }

    /// <summary>Applies the function element-wise; differentiable by autograd, keeps x's dtype and device.</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>A new parameter-free module that applies <see cref="Forward"/>, for use inside a network.</summary>
    public nn.Module<Tensor, Tensor> CreateModule() => new ActivationModule(this);

    /// <summary>
    /// Samples f and f' at <paramref name="points"/> evenly spaced inputs from <paramref name="from"/> to
    /// <paramref name="to"/> (both included), computed in float64 with autograd, for plotting the function.
    /// </summary>
    public ActivationCurve Curve(double from, double to, int points)
    {
        if (!double.IsFinite(from) || !double.IsFinite(to) || from >= to)
            throw new ArgumentException($"curve range [{from}, {to}] of '{Name}' is empty or not finite; give finite from < to.", nameof(to));
        if (points < 2)
            throw new ArgumentOutOfRangeException(nameof(points), points, $"a curve of '{Name}' needs at least 2 points.");

        var xs = new double[points];
        for (var i = 0; i < points; i++) xs[i] = from + (to - from) * i / (points - 1);
        // from + (to − from) can round away from to.
        xs[^1] = to;
        var (values, derivatives) = Evaluate(xs, ScalarType.Float64);
        return new ActivationCurve(Name, xs, values, derivatives);
    }

    /// <summary>f(x) and f'(x) at the given inputs, computed in <paramref name="dtype"/> and returned as doubles.</summary>
    internal (double[] Values, double[] Derivatives) Evaluate(double[] xs, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        using var enableGrad = torch.enable_grad();
        var x = torch.tensor(xs, dtype: ScalarType.Float64).to_type(dtype).requires_grad_();
        var y = Forward(x);
        y.sum().backward();
        var values = y.detach().to_type(ScalarType.Float64).data<double>().ToArray();
        var derivatives = x.grad is { } grad
            ? grad.to_type(ScalarType.Float64).data<double>().ToArray()
            : new double[xs.Length];
        return (values, derivatives);
    }

    public override string ToString() => Name;
}
