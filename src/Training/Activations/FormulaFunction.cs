using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>A function a formula may call: its name, number of arguments and TorchSharp implementation.</summary>
internal sealed record FormulaFunction(string Name, int Arity, Func<Tensor[], Tensor> Apply)
{
    public static IReadOnlyList<FormulaFunction> All { get; } =
    [
        new("sigmoid", 1, a => torch.sigmoid(a[0])),
        new("tanh", 1, a => torch.tanh(a[0])),
        new("exp", 1, a => torch.exp(a[0])),
        new("log", 1, a => torch.log(a[0])),
        new("softplus", 1, a => nn.functional.softplus(a[0])),
        new("relu", 1, a => nn.functional.relu(a[0])),
        new("abs", 1, a => torch.abs(a[0])),
        new("sqrt", 1, a => torch.sqrt(a[0])),
        new("erf", 1, a => torch.special.erf(a[0])),
        new("min", 2, a => torch.minimum(a[0], a[1])),
        new("max", 2, a => torch.maximum(a[0], a[1])),
    ];

    public static FormulaFunction? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string KnownList => string.Join(", ", All.Select(f => f.Arity == 1 ? f.Name : $"{f.Name} (2 arguments)"));
}
