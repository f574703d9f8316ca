using TorchSharp;

namespace CoS.Distributed.Training.Models;

internal static class ModuleTree
{
    /// <summary>
    /// The module and all its descendants in PyTorch's Module.modules() order (depth first, children in registration
    /// order). TorchSharp's modules() lists a module's children before their descendants, and initialisation must
    /// visit layers in PyTorch's order to draw the same random numbers for the same seed.
    /// </summary>
    public static IEnumerable<torch.nn.Module> DepthFirst(torch.nn.Module root)
    {
        yield return root;
        foreach (var (_, child) in root.named_children())
            foreach (var descendant in DepthFirst(child))
                yield return descendant;
    }
}
