using CoS.Distributed.Client.Plots;

namespace CoS.Distributed.Client.Tests.Plots;

public class ActivationStyleTests
{
    [Fact]
    public void A_built_in_has_one_colour_whatever_it_is_plotted_with_and_however_it_is_spelt()
    {
        var alone = ActivationStyle.Colours(["cos"]);
        var withOthers = ActivationStyle.Colours(["relu", "swish", "cos", "x*tanh(x)"]);
        var otherSpellings = ActivationStyle.Colours(["ReLU", "SiLU", "CoS"]);

        Assert.Equal(alone["cos"], withOthers["cos"]);
        Assert.Equal(withOthers["relu"], otherSpellings["ReLU"]);
        Assert.Equal(withOthers["swish"], otherSpellings["SiLU"]);
        Assert.Equal(3, new[] { withOthers["relu"], withOthers["swish"], withOthers["cos"] }.Distinct().Count());
    }

    [Fact]
    public void Formulas_of_one_figure_get_different_colours_and_keep_them_between_calls()
    {
        string[] formulas = ["x*tanh(x)", "x*sigmoid(2*x)", "softplus(x) - 0.7", "max(x, 0.1*x)", "x^3", "abs(x)", "x/(1+abs(x))", "tanh(x)", "erf(x)"];

        var first = ActivationStyle.Colours(formulas);
        var second = ActivationStyle.Colours(formulas.Reverse());

        // Nine formulas, eight colours in the formula palette: every colour used, one twice.
        Assert.Equal(8, first.Values.Distinct().Count());
        Assert.All(formulas, f => Assert.Equal(first[f], second[f]));
        Assert.DoesNotContain(ActivationStyle.BuiltInColour("cos")!.Value, first.Values);
    }

    [Fact]
    public void Names_show_as_in_the_paper_and_long_formulas_are_shortened()
    {
        Assert.Equal("ReLU", ActivationStyle.DisplayName("relu"));
        Assert.Equal("Swish", ActivationStyle.DisplayName("silu"));
        Assert.Equal("CoS", ActivationStyle.DisplayName("COS"));
        Assert.Equal("Leaky ReLU", ActivationStyle.DisplayName("leaky_relu"));
        Assert.Equal("x*tanh(x)", ActivationStyle.DisplayName(" x*tanh(x) "));

        var shortened = ActivationStyle.DisplayName("x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2 + 0.001*tanh(x)");
        Assert.Equal(28, shortened.Length);
        Assert.EndsWith("…", shortened, StringComparison.Ordinal);
    }

    [Fact]
    public void Legends_list_relu_swish_cos_first_whatever_order_they_are_given_in()
    {
        Assert.Equal(["relu", "swish", "cos", "x^3"], ActivationStyle.InLegendOrder(["x^3", "cos", "relu", "swish"]));
    }
}
