namespace CoS.Distributed.Grains.Groups;

/// <summary>The key of a group grain: the sweep and the group id.</summary>
public static class GroupKey
{
    public static string Of(string sweepName, string groupId) => $"{sweepName}/{groupId}";
}
