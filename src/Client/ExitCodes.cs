namespace CoS.Distributed.Client;

/// <summary>The exit codes of every cos command.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad input: a sweep file, an option, a sweep that does not exist, a cluster that cannot be reached.</summary>
    public const int UserError = 1;

    /// <summary>The sweep finished, but some cells failed for good (their errors are in the status and the report).</summary>
    public const int FailedCells = 2;

    /// <summary>Stopped by Ctrl-C (SIGINT) or SIGTERM; `cos run` on the same file resumes.</summary>
    public const int Interrupted = 130;
}
