using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Tests.Data;

internal static class Tensors
{
    /// <summary>Same shape and bit-for-bit the same values.</summary>
    public static bool Identical(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape)) return false;
        using var scope = NewDisposeScope();
        return a.eq(b).all().item<bool>();
    }
}
