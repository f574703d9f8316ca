using Orleans.Storage;

namespace CoS.Distributed.Silo.Storage;

/// <summary>Options of one <see cref="FileGrainStorage"/> provider.</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>Folder of the state files: &lt;RootDirectory&gt;/&lt;state name&gt;/&lt;grain id&gt;.json.</summary>
    public string? RootDirectory { get; set; }

    /// <summary>Serializer of the state inside the file; null for the silo's IGrainStorageSerializer. It must write JSON.</summary>
    public IGrainStorageSerializer? GrainStorageSerializer { get; set; }
}
