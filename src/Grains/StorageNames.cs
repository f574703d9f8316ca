namespace CoS.Distributed.Grains;

/// <summary>Names of the grain-storage providers and state names the grains use.</summary>
public static class StorageNames
{
    /// <summary>The grain storage provider every CoS grain persists to (file-backed or Azure Blob).</summary>
    public const string Provider = "cos";
}
