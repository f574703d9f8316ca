using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>
/// Turns a parsed formula into one delegate of TorchSharp operations, built once, so autograd differentiates it.
/// Sub-trees without x are folded into numbers at compile time and enter the tensor code as scalars.
/// Compiling and the compiled delegate recurse once per node; the parser's limits on length and nesting keep that
/// recursion a few hundred frames deep at most.
/// </summary>
internal static class FormulaCompiler
{
    /// <summary>Compiles <paramref name="root"/>; a formula that never uses x is rejected.</summary>
    public static Func<Tensor, Tensor> Compile(string formula, FormulaNode root)
    {
        var compiled = Compile(formula, root, out var constant);
        if (compiled is null)
            throw new FormulaException(formula, null, $"never uses x (it is the constant {Format(constant)}); an activation must depend on its input x");
        // The result must be a tensor of its own, never x itself, so that callers may dispose it.
        return root is VariableNode ? x => x.alias() : compiled;
    }

    /// <summary>Either a delegate, or null with the sub-tree's value in <paramref name="constant"/>.</summary>
    private static Func<Tensor, Tensor>? Compile(string formula, FormulaNode node, out double constant)
    {
        constant = double.NaN;
        switch (node)
        {
            case NumberNode number:
                constant = number.Value;
                return null;
            case VariableNode:
                return x => x;
            case NegateNode negate:
                return CompileNegate(formula, negate, out constant);
            case BinaryNode binary:
                return CompileBinary(formula, binary, out constant);
            case CallNode call:
                return CompileCall(formula, call, out constant);
            default:
                throw new InvalidOperationException($"formula node {node.GetType().Name} has no compiler");
        }
    }

    private static Func<Tensor, Tensor>? CompileNegate(string formula, NegateNode node, out double constant)
    {
        var operand = Compile(formula, node.Operand, out var value);
        constant = double.NaN;
        if (operand is not null) return x => operand(x).neg();
        constant = Finite(formula, node, -value);
        return null;
    }

    private static Func<Tensor, Tensor>? CompileBinary(string formula, BinaryNode node, out double constant)
    {
        var left = Compile(formula, node.Left, out var a);
        var right = Compile(formula, node.Right, out var b);
        constant = double.NaN;
        switch (left, right)
        {
            case (null, null):
                constant = Finite(formula, node, node.Operator switch
                {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    '/' => a / b,
                    _ => Math.Pow(a, b),
                });
                return null;
            case (not null, null):
                return node.Operator switch
                {
                    '+' => x => left(x) + b,
                    '-' => x => left(x) - b,
                    '*' => x => left(x) * b,
                    '/' => x => left(x) / b,
                    // Squaring is the common case (CoS itself) and square() is cheaper than pow.
                    _ when b == 2 => x => left(x).square(),
                    _ => x => left(x).pow(b),
                };
            case (null, not null):
                return node.Operator switch
                {
                    '+' => x => a + right(x),
                    '-' => x => a - right(x),
                    '*' => x => a * right(x),
                    '/' => x => a / right(x),
                    _ => x => PowerOf(a, right(x)),
                };
            default:
                return node.Operator switch
                {
                    '+' => x => left!(x) + right!(x),
                    '-' => x => left!(x) - right!(x),
                    '*' => x => left!(x) * right!(x),
                    '/' => x => left!(x) / right!(x),
                    _ => x => left!(x).pow(right!(x)),
                };
        }
    }

    private static Func<Tensor, Tensor>? CompileCall(string formula, CallNode node, out double constant)
    {
        var arguments = new Func<Tensor, Tensor>?[node.Arguments.Count];
        var values = new double[node.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++) arguments[i] = Compile(formula, node.Arguments[i], out values[i]);
        var function = node.Function;
        constant = double.NaN;

        if (arguments.All(a => a is null))
        {
            constant = Finite(formula, node, EvaluateConstant(function, values));
            return null;
        }
        if (function.Name is "min" or "max" && arguments.Count(a => a is null) == 1)
        {
            // Against a number, min and max are clamps: no tensor of the constant is built.
            var tensorArgument = (arguments[0] ?? arguments[1])!;
            var bound = arguments[0] is null ? values[0] : values[1];
            return function.Name == "min"
                ? x => tensorArgument(x).clamp_max(bound)
                : x => tensorArgument(x).clamp_min(bound);
        }
        return x =>
        {
            var inputs = new Tensor[arguments.Length];
            for (var i = 0; i < inputs.Length; i++) inputs[i] = arguments[i] is { } argument ? argument(x) : torch.tensor(values[i], dtype: x.dtype, device: x.device);
            return function.Apply(inputs);
        };
    }

    private static Tensor PowerOf(double number, Tensor exponent) => torch.full_like(exponent, number).pow(exponent);

    /// <summary>A function of numbers only, evaluated by the same TorchSharp operation in float64.</summary>
    private static double EvaluateConstant(FormulaFunction function, double[] values)
    {
        using var scope = torch.NewDisposeScope();
        var inputs = values.Select(v => torch.tensor(v, dtype: ScalarType.Float64)).ToArray();
        return function.Apply(inputs).item<double>();
    }

    private static double Finite(string formula, FormulaNode node, double value)
    {
        if (double.IsFinite(value)) return value;
        var text = formula[node.Start..node.End];
        throw new FormulaException(formula, node.Start, $"'{text}' is {Format(value)}; a formula must stay finite");
    }

    internal static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+infinity",
        double.NegativeInfinity => "-infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
