namespace CoS.Distributed.Training.Checkpoints;

public enum CheckpointProblem
{
    NotACheckpoint,
    UnsupportedVersion,
    Truncated,
    HashMismatch,
    WrongConfiguration,
}

/// <summary>A checkpoint that cannot be used; Problem says why, so a store can fall back to an older one.</summary>
public sealed class CheckpointException : IOException
{
    public CheckpointException(CheckpointProblem problem, string message) : base(message) => Problem = problem;

    public CheckpointException() : this(CheckpointProblem.NotACheckpoint, "not a checkpoint") { }

    public CheckpointException(string message) : this(CheckpointProblem.NotACheckpoint, message) { }

    public CheckpointException(string message, Exception innerException) : base(message, innerException) =>
        Problem = CheckpointProblem.NotACheckpoint;

    public CheckpointProblem Problem { get; }
}
