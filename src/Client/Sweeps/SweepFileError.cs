namespace CoS.Distributed.Client.Sweeps;

/// <summary>
/// One problem with a sweep file: where it is (1-based line and column; 0 when the problem has no position, such as a
/// missing file), the key it concerns in dotted form (<c>training.learning_rate[1]</c>, <c>dataset[0].path</c>; empty
/// for the file as a whole) and what is wrong, with the fix.
/// </summary>
public sealed record SweepFileError(string File, int Line, int Column, string Key, string Message)
{
    /// <summary>"file:line:column: key: message", the form editors and terminals turn into links.</summary>
    public override string ToString()
    {
        var position = Line > 0 ? $":{Line}:{Column}" : "";
        var key = Key.Length > 0 ? $" {Key}:" : "";
        return $"{File}{position}:{key} {Message}";
    }
}
