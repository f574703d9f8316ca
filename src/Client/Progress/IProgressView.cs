namespace CoS.Distributed.Client.Progress;

/// <summary>Shows a sweep's progress while it runs: live bars on a terminal, plain periodic lines otherwise.</summary>
public interface IProgressView
{
    /// <summary>Polls <paramref name="poll"/> and shows progress until it reports the sweep finished or <paramref name="cancellation"/> fires.</summary>
    Task<SweepProgress> Follow(Func<CancellationToken, Task<SweepProgress>> poll, CancellationToken cancellation);
}
