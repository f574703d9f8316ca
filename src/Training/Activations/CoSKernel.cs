using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CoS.Distributed.Training.Activations;

/// <summary>
/// CoS and its derivative as single fused loops over CPU memory: one read of x (and of the incoming gradient)
/// and one write per element, where the same arithmetic in TorchSharp operations takes about ten passes.
/// Both use e = exp(−x) once: σ(x) = 1/(1+e) and σ(5x) = 1/(1+e⁵).
/// </summary>
internal static unsafe class CoSKernel
{
    // Below this many elements a second thread costs more than it saves.
    private const long ElementsPerThread = 64 * 1024;

    /// <summary>True when x's memory can be read directly: a CPU float32/float64 tensor under 2 GiB.</summary>
    public static bool Supports(Tensor x) =>
        x.device_type == DeviceType.CPU
        && x.dtype is ScalarType.Float32 or ScalarType.Float64
        && x.numel() * x.ElementSize <= int.MaxValue;

    public static Tensor Value(Tensor x)
    {
        using var contiguous = x.contiguous();
        var y = torch.empty_like(contiguous);
        if (x.dtype == ScalarType.Float32) Run<float>(contiguous, null, y);
        else Run<double>(contiguous, null, y);
        return y;
    }

    /// <summary>The gradient with respect to x: <paramref name="gradOutput"/> · CoS'(x).</summary>
    public static Tensor Gradient(Tensor x, Tensor gradOutput)
    {
        using var contiguous = x.contiguous();
        // The incoming gradient of a sum() is a stride-0 view; it is read element by element, so make it dense.
        using var gradient = gradOutput.contiguous();
        var dx = torch.empty_like(contiguous);
        if (x.dtype == ScalarType.Float32) Run<float>(contiguous, gradient, dx);
        else Run<double>(contiguous, gradient, dx);
        return dx;
    }

    private static void Run<T>(Tensor x, Tensor? gradOutput, Tensor result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = x.numel();
        var px = (nint)Address<T>(x);
        var pg = gradOutput is null ? 0 : (nint)Address<T>(gradOutput);
        var pr = (nint)Address<T>(result);
        int parts = (int)Math.Clamp(n / ElementsPerThread, 1, Math.Max(1, torch.get_num_threads()));
        if (parts == 1)
        {
            Loop<T>((T*)px, (T*)pg, (T*)pr, 0, n);
            return;
        }
        long perPart = (n + parts - 1) / parts;
        Parallel.For(0, parts, part =>
        {
            long start = part * perPart;
            Loop<T>((T*)px, (T*)pg, (T*)pr, start, Math.Min(n, start + perPart));
        });
    }

    private static T* Address<T>(Tensor t) where T : unmanaged =>
        (T*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>result[i] = CoS(x[i]), or gradOutput[i]·CoS'(x[i]) when gradOutput is given, for i in [start, end).</summary>
    private static void Loop<T>(T* x, T* gradOutput, T* result, long start, long end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        long i = start;
        for (; i <= end - width; i += width)
        {
            var v = Vector.Load(x + i);
            var r = gradOutput is null ? CoS(v) : Vector.Load(gradOutput + i) * Derivative(v);
            Vector.Store(r, result + i);
        }
        if (i == end) return;

        // The last partial vector goes through the same arithmetic, padded with zeros.
        Span<T> lanes = stackalloc T[width];
        Span<T> gradients = stackalloc T[width];
        int count = (int)(end - i);
        new Span<T>(x + i, count).CopyTo(lanes);
        if (gradOutput is not null) new Span<T>(gradOutput + i, count).CopyTo(gradients);
        var tail = new Vector<T>(lanes);
        var tailResult = gradOutput is null ? CoS(tail) : new Vector<T>(gradients) * Derivative(tail);
        for (int k = 0; k < count; k++) result[i + k] = tailResult[k];
    }

    /// <summary>x·σ(x) + q² with q = σ(5x) − 0.5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> CoS<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (sigmoid, _, q) = Sigmoids(x);
        return x * sigmoid + q * q;
    }

    /// <summary>σ(x)·(1 + x·(1 − σ(x))) + 10·q·σ(5x)·(1 − σ(5x)), with 1 − σ(x) = e·σ(x) and σ(5x)(1 − σ(5x)) = 1/4 − q².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Derivative<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (sigmoid, e, q) = Sigmoids(x);
        // e·σ(x) stays in [0, 1]; multiplying x by e first would overflow for very negative x.
        var swishSlope = sigmoid * (Vector<T>.One + x * (e * sigmoid));
        return swishSlope + Constant<T>(10) * q * (Constant<T>(0.25) - q * q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<T> Sigmoid, Vector<T> E, Vector<T> Q) Sigmoids<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = Vector<T>.One;
        var e = Exp(-x);
        var e2 = e * e;
        // e⁵ overflows to +inf for x < −17.7, which correctly gives σ(5x) = 0.
        var q = one / (one + e2 * e2 * e) - Constant<T>(0.5);
        return (one / (one + e), e, q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Constant<T>(double value) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(T.CreateChecked(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Exp<T>(Vector<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return ExpSingle(v.As<T, float>()).As<float, T>();
        return Vector.Exp(v.As<T, double>()).As<double, T>();
    }

    /// <summary>
    /// exp for float32 within about 2 ulp: n = round(v/ln 2), r = v − n·ln 2 (two-part constant), a degree-7
    /// Taylor polynomial on |r| ≤ ln 2 / 2, scaled by 2ⁿ through the exponent bits. The runtime's own
    /// Vector.Exp(float) computes in float64 and is about twice as slow. Inputs are clamped to the normal range:
    /// below −87.3 the result is the smallest normal float, above 88.3 about 2.2e38; NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpSingle(Vector<float> v)
    {
        v = Vector.Min(Vector.Max(v, new Vector<float>(-87.3f)), new Vector<float>(88.3f));
        var n = Vector.Floor(v * new Vector<float>(1.44269504f) + new Vector<float>(0.5f));
        var r = v - n * new Vector<float>(0.693359375f) - n * new Vector<float>(-2.12194440e-4f);
        var p = new Vector<float>(1f / 5040f);
        p = p * r + new Vector<float>(1f / 720f);
        p = p * r + new Vector<float>(1f / 120f);
        p = p * r + new Vector<float>(1f / 24f);
        p = p * r + new Vector<float>(1f / 6f);
        p = p * r + new Vector<float>(0.5f);
        p = p * r + Vector<float>.One;
        p = p * r + Vector<float>.One;
        var twoToN = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return p * twoToN;
    }
}
