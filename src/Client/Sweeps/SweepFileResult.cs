using System.Diagnostics.CodeAnalysis;
using CoS.Distributed.Grains.Interfaces.Sweeps;

namespace CoS.Distributed.Client.Sweeps;

/// <summary>A sweep file read: the sweep when the file has no problem, otherwise every problem found, in file order.</summary>
public sealed record SweepFileResult
{
    private SweepFileResult(SweepSpec? spec, IReadOnlyList<SweepFileError> errors)
    {
        Spec = spec;
        Errors = errors;
    }

    /// <summary>The sweep; null when <see cref="Errors"/> is not empty.</summary>
    public SweepSpec? Spec { get; }

    public IReadOnlyList<SweepFileError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Spec))]
    public bool Succeeded => Spec is not null;

    internal static SweepFileResult Success(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new(spec, []);
    }

    internal static SweepFileResult Failure(IReadOnlyList<SweepFileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0) throw new ArgumentException("a failed sweep file has at least one error", nameof(errors));
        return new(null, errors);
    }
}
