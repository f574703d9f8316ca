using CoS.Distributed.Training.Activations;

namespace CoS.Distributed.Training.Tests.Activations;

public class ActivationCurveTests
{
    [Fact]
    public void CurveSamplesBothEndsEvenlyWithValuesAndDerivatives()
    {
        var curve = ActivationRegistry.Get("swish").Curve(-4, 4, 81);

        Assert.Equal("swish", curve.Name);
        Assert.Equal(81, curve.X.Count);
        Assert.Equal(81, curve.Value.Count);
        Assert.Equal(81, curve.Derivative.Count);
        Assert.Equal(-4, curve.X[0]);
        Assert.Equal(4, curve.X[^1]);
        Assert.Equal(0, curve.X[40]);
        for (var i = 0; i < curve.X.Count; i++)
        {
            var x = curve.X[i];
            var sigmoid = 1 / (1 + Math.Exp(-x));
            Assert.Equal(x * sigmoid, curve.Value[i], 12);
            Assert.Equal(sigmoid * (1 + x * (1 - sigmoid)), curve.Derivative[i], 12);
        }
    }

    [Fact]
    public void CoSCurveShowsTheDerivativeCrossingZeroAtItsMinimum()
    {
        var curve = new CoSActivation().Curve(-0.3, -0.05, 251);
        var lowest = Enumerable.Range(0, curve.X.Count).MinBy(i => curve.Value[i]);
        Assert.Equal(-0.167, curve.X[lowest], 3);
        Assert.Equal(0, curve.Derivative[lowest], 3);
        Assert.Equal(0.5, new CoSActivation().Curve(-1, 1, 3).Derivative[1], 12);
    }

    [Fact]
    public void ReluCurveHasDerivativeZeroBelowAndOneAbove()
    {
        var curve = ActivationRegistry.Get("relu").Curve(-1, 1, 4);
        Assert.Equal([0, 0, 1, 1], curve.Derivative);
    }

    [Theory]
    [InlineData(1, 1, 10)]
    [InlineData(2, 1, 10)]
    [InlineData(double.NaN, 1, 10)]
    [InlineData(0, 1, 1)]
    public void CurveRejectsAnEmptyRangeOrTooFewPoints(double from, double to, int points)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => ActivationRegistry.Get("relu").Curve(from, to, points));
        Assert.Contains("relu", error.Message, StringComparison.Ordinal);
    }
}
