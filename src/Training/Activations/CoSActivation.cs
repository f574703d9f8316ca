using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>
/// CoS, the activation of Han and Kang (2021): CoS(x) = x·σ(x) + (σ(5x) − 0.5)².
/// The paper prints its equation 5 only as an image; this formula is a reconstruction from the paper's text
/// (Swish plus a squared-sigmoid term with coefficient 5 and constant 0.5 that reduces negative outputs), the
/// only reading that fits all of its statements: f(0) = 0, minimum ≈ −0.038, f → 0.25 as x → −∞ and
/// f → x + 0.25 as x → +∞ (see PAPER.md). Any other reading can be defined as a <see cref="FormulaActivation"/>.
/// </summary>
/// <remarks>
/// A custom autograd function that keeps only x for the backward pass (autograd on the elementary operations
/// keeps four intermediates) and computes CoS'(x) = σ(x)·(1 + x·(1 − σ(x))) + 10·(σ(5x) − 0.5)·σ(5x)·(1 − σ(5x))
/// analytically. On CPU float32/float64 both directions are single fused loops; elsewhere (CUDA, half
/// precision) they are built from TorchSharp operations. First derivatives only: the backward pass is not
/// itself differentiable, so gradient-of-gradient methods need the <see cref="CompositeFormula"/> instead.
/// Memory is released deterministically, never by the finalizer, when the training step runs inside
/// <c>torch.NewDisposeScope()</c> as everywhere in this project: no periodic <c>GC.Collect()</c> is needed.
/// The one gradient handle left after a backward pass is freed by that scope or by the next backward.
/// </remarks>
public sealed class CoSActivation : Activation
{
    /// <summary>The same function written with elementary operations, for a <see cref="FormulaActivation"/>.</summary>
    public const string CompositeFormula = "x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2";

    public override string Name => "cos";

    public override string Description => "CoS (Han & Kang 2021, eq. 5 as reconstructed): x*sigmoid(x) + (sigmoid(5x) - 0.5)^2";

    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        // Without a gradient to compute, the autograd node would only cost time.
        if (!torch.is_grad_enabled() || !x.requires_grad) return Value(x);

        // TorchSharp's apply leaves two full-size tensors behind: forward's own output handle and a placeholder
        // for materialising missing gradients (switched off below). This scope frees both before backward.
        using var scope = torch.NewDisposeScope();
        return CoSFunction.apply(x).MoveToOuterDisposeScope();
    }

    private static Tensor Value(Tensor x)
    {
        if (CoSKernel.Supports(x)) return CoSKernel.Value(x);
        using var scope = torch.NewDisposeScope();
        var q = x.mul(5).sigmoid_().sub_(0.5);
        return nn.functional.silu(x).addcmul_(q, q, 1).MoveToOuterDisposeScope();
    }

    private static Tensor Gradient(Tensor x, Tensor gradOutput)
    {
        if (CoSKernel.Supports(x)) return CoSKernel.Gradient(x, gradOutput);
        // s + x·s·(1 − s) + 2.5·q − 10·q³ with s = σ(x), q = σ(5x) − 0.5: sigmoid rather than tanh, which LibTorch computes slower.
        using var scope = torch.NewDisposeScope();
        var s = x.sigmoid();
        var d = x.mul(s);
        d.addcmul_(d, s, -1).add_(s);
        var q = x.mul(5).sigmoid_().sub_(0.5);
        d.add_(q, 2.5);
        d.add_(q.pow_(3), -10);
        return d.mul_(gradOutput).MoveToOuterDisposeScope();
    }

    private sealed class CoSFunction : autograd.SingleTensorFunction<CoSFunction>
    {
        // Backward runs on the thread that called backward(), one node at a time.
        [ThreadStatic]
        private static Tensor? PreviousGradient;

        public override string Name => "CoS";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            ctx.save_for_backward([x]);
            ctx.set_materialize_grads(false);
            return Value(x);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            // No gradient reached this output (materialising is off): none flows on to x either.
            if (grad_output.IsInvalid) return [null!];

            // LibTorch took its own reference to the previous gradient when that backward returned; the
            // handle kept here would otherwise hold its memory until the step's dispose scope ends.
            PreviousGradient?.Dispose();

            Tensor gradient;
            using (var x = ctx.get_saved_variables()[0])
                gradient = Gradient(x, grad_output);
            // LibTorchSharp hands backward a handle of its own; freeing it here means no finalizer has to.
            grad_output.Dispose();
            // Not disposed now: LibTorch takes its reference only after backward returns.
            PreviousGradient = gradient;
            return [gradient];
        }
    }
}
