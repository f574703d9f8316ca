namespace CoS.Distributed.Grains;

/// <summary>The grain storage provider every CoS grain persists to (file-backed in embedded mode, Azure Blob in a cluster).</summary>
public static class CosGrainStorage
{
    public const string Name = "cos";
}
