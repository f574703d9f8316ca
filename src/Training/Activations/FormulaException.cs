namespace CoS.Distributed.Training.Activations;

/// <summary>A formula that cannot be an activation: malformed, or not finite somewhere a network can reach.</summary>
public sealed class FormulaException : ArgumentException
{
    public FormulaException(string formula, int? position, string problem, double? failingInput = null)
        : base(position is { } at ? $"formula '{formula}', position {at}: {problem}" : $"formula '{formula}' {problem}")
    {
        Formula = formula;
        Position = position;
        FailingInput = failingInput;
    }

    /// <summary>The formula text as the user wrote it.</summary>
    public string Formula { get; }

    /// <summary>0-based index of the offending character; null when the problem is the formula as a whole.</summary>
    public int? Position { get; }

    /// <summary>For a formula that is NaN or infinite (or has such a derivative): the input where it first fails.</summary>
    public double? FailingInput { get; }
}
