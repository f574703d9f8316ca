using System.Diagnostics.CodeAnalysis;
using TorchSharp;

namespace CoS.Distributed.Training.Activations;

/// <summary>
/// The built-in activations by name (case-insensitive), and the one entry point that also accepts a formula.
/// Built-ins use TorchSharp's fused operations; CoS has its own fused kernels (<see cref="CoSActivation"/>).
/// </summary>
public static class ActivationRegistry
{
    private static readonly Activation[] BuiltIns =
    [
        new BuiltInActivation("relu", "ReLU (eq. 3): max(0, x)", x => torch.nn.functional.relu(x)),
        new BuiltInActivation("swish", "Swish / SiLU (eq. 4): x*sigmoid(x)", x => torch.nn.functional.silu(x)),
        new CoSActivation(),
        new BuiltInActivation("mish", "Mish: x*tanh(softplus(x))", x => torch.nn.functional.mish(x)),
        new BuiltInActivation("gelu", "GELU, exact form: x*(1 + erf(x/sqrt(2)))/2", x => torch.nn.functional.gelu(x)),
        new BuiltInActivation("elu", "ELU (alpha 1): x for x > 0, exp(x) - 1 otherwise", x => torch.nn.functional.elu(x, 1.0)),
        new BuiltInActivation("leaky_relu", "Leaky ReLU, slope 0.01: max(0.01x, x)", x => torch.nn.functional.leaky_relu(x, 0.01)),
        new BuiltInActivation("sigmoid", "Sigmoid (eq. 1): 1/(1 + exp(-x))", x => torch.sigmoid(x)),
        new BuiltInActivation("tanh", "Tanh (eq. 2)", x => torch.tanh(x)),
        new BuiltInActivation("softplus", "Softplus: log(1 + exp(x))", x => torch.nn.functional.softplus(x)),
    ];

    /// <summary>Other names accepted for a built-in: alias → name.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string> { ["silu"] = "swish" };

    /// <summary>The built-in names, in the order help text lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = BuiltIns.Select(a => a.Name).ToArray();

    private static readonly Dictionary<string, Activation> ByName = BuildIndex();

    /// <summary>Every built-in, in the order of <see cref="Names"/>.</summary>
    public static IReadOnlyList<Activation> All => BuiltIns;

    /// <summary>Finds a built-in by name or alias, ignoring case.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out Activation? activation)
    {
        activation = null;
        return name is not null && ByName.TryGetValue(name.Trim(), out activation);
    }

    /// <summary>The built-in called <paramref name="name"/>; throws with the list of names if there is none.</summary>
    public static Activation Get(string name) =>
        TryGet(name, out var activation)
            ? activation
            : throw new ArgumentException($"'{name}' is not a built-in activation; {KnownNames()}.", nameof(name));

    /// <summary>
    /// A built-in when <paramref name="nameOrFormula"/> is one of its names, else the text as a formula in x
    /// (<see cref="FormulaActivation"/>). A bare word that is neither gives an error listing the names and
    /// showing how to write a formula; a malformed formula gives a <see cref="FormulaException"/>.
    /// </summary>
    public static Activation Resolve(string nameOrFormula)
    {
        if (string.IsNullOrWhiteSpace(nameOrFormula))
            throw new ArgumentException($"the activation is empty; {KnownNames()}, or write a formula in x such as '{CoSActivation.CompositeFormula}'.", nameof(nameOrFormula));
        if (TryGet(nameOrFormula, out var builtIn)) return builtIn;

        var text = nameOrFormula.Trim();
        try
        {
            return new FormulaActivation(text);
        }
        catch (FormulaException) when (IsBareWord(text))
        {
            // A single word that is no formula was meant as a name (a typo such as 'swissh' or 'leaky-relu').
            throw new ArgumentException(
                $"'{FormulaException.Abbreviate(text)}' is neither a built-in activation nor a formula; {KnownNames()}. " +
                $"A formula is an expression in x, such as '{CoSActivation.CompositeFormula}', using numbers, + - * / ^, " +
                $"parentheses and the functions {FormulaFunction.KnownList}.",
                nameof(nameOrFormula));
        }
    }

    private static bool IsBareWord(string text) => char.IsAsciiLetter(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string KnownNames() =>
        "the built-in activations are " + string.Join(", ", Names.Select(name =>
        {
            var aliases = Aliases.Where(a => a.Value == name).Select(a => a.Key).ToList();
            return aliases.Count == 0 ? name : $"{name} (alias {string.Join(", ", aliases)})";
        }));

    private static Dictionary<string, Activation> BuildIndex()
    {
        var index = BuiltIns.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var (alias, name) in Aliases) index[alias] = index[name];
        return index;
    }
}
