using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>
/// An activation a user defines by a formula in x, for example <c>x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2</c>:
/// numbers (1, 0.5, 2e-3), x, + - * / ^ (right-associative; -x^2 is -(x^2)), parentheses and the functions
/// sigmoid, tanh, exp, log, softplus, relu, abs, sqrt, erf, min(a, b) and max(a, b).
/// The formula is compiled once into TorchSharp operations, so autograd gives its derivative, and is probed
/// before use: it must be finite, with a finite derivative, in float64 and float32 at every probe input.
/// A formula has at most <see cref="MaxLength"/> characters and <see cref="MaxNesting"/> levels of nesting.
/// </summary>
public sealed class FormulaActivation : Activation
{
    /// <summary>The longest formula accepted, in characters (after trimming). Activations are short expressions.</summary>
    public const int MaxLength = 1000;

    /// <summary>
    /// The deepest nesting accepted: each parenthesis, function call, unary minus and power opens a level, so
    /// <c>-(x)</c> is 2 levels and <c>sigmoid(sigmoid(x))</c> 2. Chains such as <c>x + x + x</c> do not nest.
    /// </summary>
    public const int MaxNesting = 64;

    private readonly Func<Tensor, Tensor> _forward;

    /// <summary>Parses, compiles and probes <paramref name="formula"/>; throws <see cref="FormulaException"/> if it is unusable.</summary>
    /// <param name="formula">The formula text.</param>
    /// <param name="name">The name to report it under; the formula text when omitted.</param>
    public FormulaActivation(string formula, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(formula);
        Formula = formula.Trim();
        Name = string.IsNullOrWhiteSpace(name) ? Formula : name;
        _forward = FormulaCompiler.Compile(Formula, FormulaParser.Parse(Formula));
        Probe();
    }

    /// <summary>
    /// Where a formula is probed: every 0.02 over [-20, 20], where normalised pre-activations live (this
    /// includes 0 exactly, where log, sqrt and 1/x break), and sparse points out to ±1000, which networks
    /// without batch normalisation reach early in training; ±100 lies past float32's exp overflow at 88.7.
    /// </summary>
    public static IReadOnlyList<double> ProbeInputs { get; } = BuildProbeInputs();

    /// <summary>The formula text, trimmed.</summary>
    public string Formula { get; }

    public override string Name { get; }

    public override string Description => $"user formula: {Formula}";

    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        // Intermediates die here rather than in the caller's scope (or, without one, in the finalizer).
        using var scope = torch.NewDisposeScope();
        return _forward(x).MoveToOuterDisposeScope();
    }

    private static double[] BuildProbeInputs()
    {
        var grid = Enumerable.Range(-1000, 2001).Select(i => i / 50.0);
        double[] tails = [25, 50, 75, 100, 250, 500, 1000];
        return grid.Concat(tails).Concat(tails.Select(t => -t)).Order().ToArray();
    }

    private void Probe()
    {
        var inputs = ProbeInputs.ToArray();
        var wide = Evaluate(inputs, ScalarType.Float64);
        var single = Evaluate(inputs, ScalarType.Float32);

        string? Problem(int i)
        {
            if (!double.IsFinite(wide.Values[i])) return $"gives {FormulaCompiler.Format(wide.Values[i])}";
            if (!double.IsFinite(wide.Derivatives[i])) return $"has derivative {FormulaCompiler.Format(wide.Derivatives[i])}";
            if (!double.IsFinite(single.Values[i])) return $"gives {FormulaCompiler.Format(single.Values[i])} in float32";
            if (!double.IsFinite(single.Derivatives[i])) return $"has derivative {FormulaCompiler.Format(single.Derivatives[i])} in float32";
            return null;
        }

        var failing = Enumerable.Range(0, inputs.Length).Where(i => Problem(i) is not null).ToList();
        if (failing.Count == 0) return;

        // The failure nearest 0 is the one a network meets first.
        var first = failing.OrderBy(i => Math.Abs(inputs[i])).ThenBy(i => inputs[i]).First();
        var at = inputs[first].ToString("R", CultureInfo.InvariantCulture);
        throw new FormulaException(
            Formula,
            null,
            $"{Problem(first)} at x = {at} (fails at {failing.Count} of {inputs.Length} probe inputs between {inputs[0]} and {inputs[^1]}); " +
            "an activation must be finite, with a finite derivative, for every input a network can feed it; " +
            "rewrite it to stay finite there (for example sigmoid or softplus instead of exp, abs(x) instead of sqrt(x^2))",
            inputs[first]);
    }
}
