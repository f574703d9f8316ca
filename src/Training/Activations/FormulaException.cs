namespace CoS.Distributed.Training.Activations;

/// <summary>A formula that cannot be an activation: malformed, or not finite somewhere a network can reach.</summary>
public sealed class FormulaException : ArgumentException
{
    private const int ShownPrefix = 40;

    public FormulaException(string formula, int? position, string problem, double? failingInput = null)
        : base(position is { } at ? $"formula '{Abbreviate(formula)}', position {at}: {problem}" : $"formula '{Abbreviate(formula)}' {problem}")
    {
        Formula = formula;
        Position = position;
        FailingInput = failingInput;
    }

    /// <summary>
    /// How messages show a formula: as written, or only its start when it is longer than a formula may be (its
    /// message goes into logs, grain state and terminals).
    /// </summary>
    public static string Abbreviate(string formula)
    {
        ArgumentNullException.ThrowIfNull(formula);
        return formula.Length <= FormulaActivation.MaxLength ? formula : $"{formula[..ShownPrefix]}…";
    }

    /// <summary>The formula text as the user wrote it.</summary>
    public string Formula { get; }

    /// <summary>0-based index of the offending character; null when the problem is the formula as a whole.</summary>
    public int? Position { get; }

    /// <summary>For a formula that is NaN or infinite (or has such a derivative): the input where it first fails.</summary>
    public double? FailingInput { get; }
}
