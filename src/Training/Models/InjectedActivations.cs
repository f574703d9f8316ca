using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Models;

/// <summary>
/// Hands out the injected activation for each place a model uses one, checking that every call gives a new module
/// without parameters or buffers: a shared or stateful module would change the model's state_dict and break
/// loading of torchvision weights.
/// </summary>
internal sealed class InjectedActivations
{
    private readonly Func<nn.Module<Tensor, Tensor>> _create;
    private readonly string _modelName;
    private readonly HashSet<nn.Module> _handedOut = new(ReferenceEqualityComparer.Instance);

    public InjectedActivations(Func<nn.Module<Tensor, Tensor>> create, string modelName)
    {
        ArgumentNullException.ThrowIfNull(create);
        _create = create;
        _modelName = modelName;
    }

    public nn.Module<Tensor, Tensor> Create()
    {
        var module = _create()
            ?? throw new InvalidOperationException($"The activation factory passed to {_modelName} returned null; it must return a new activation module on every call.");
        if (!_handedOut.Add(module))
            throw new InvalidOperationException($"The activation factory passed to {_modelName} returned the same {module.GetType().Name} instance twice; return a new module on every call (for example () => nn.ReLU()).");
        if (module.parameters().Any() || module.buffers().Any())
            throw new InvalidOperationException($"The activation {module.GetType().Name} passed to {_modelName} has parameters or buffers; only parameter-free activations keep the model's state_dict identical to torchvision's.");
        return module;
    }
}
