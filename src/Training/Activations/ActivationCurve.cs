namespace CoS.Distributed.Training.Activations;

/// <summary>An activation sampled for a plot: inputs, values f(x) and derivatives f'(x), index by index.</summary>
public sealed record ActivationCurve(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Value, IReadOnlyList<double> Derivative);
