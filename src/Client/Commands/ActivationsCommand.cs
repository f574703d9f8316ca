using System.CommandLine;
using CoS.Distributed.Client.Plots;
using CoS.Distributed.Training.Activations;

namespace CoS.Distributed.Client.Commands;

/// <summary>cos activations list | plot.</summary>
public static class ActivationsCommand
{
    public static Command Create(CliContext context)
    {
        var list = new Command("list", "Lists the built-in activations by name.");
        list.SetAction(_ =>
        {
            foreach (var activation in ActivationRegistry.All) context.Output.WriteLine($"{activation.Name,-12} {activation.Description}");
            context.Output.WriteLine("Any formula in x is an activation too, e.g. \"x*tanh(softplus(x))\".");
            return ExitCodes.Success;
        });

        var names = new Argument<string[]>("activations")
        {
            Description = "Names or formulas in x (default: relu swish cos).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var from = new Option<double>("--from") { Description = "Left end of the x range.", DefaultValueFactory = _ => -5 };
        var to = new Option<double>("--to") { Description = "Right end of the x range.", DefaultValueFactory = _ => 5 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the PNGs.", DefaultValueFactory = _ => new DirectoryInfo("plots") };
        var plot = new Command("plot", """
            Plots activations and their derivatives (PNG), like the paper's Figures 4-8.
            Examples:
              cos activations plot
              cos activations plot relu swish cos "x*sigmoid(x) + (sigmoid(5*x) - 0.5)^2" --from -6 --to 3
            """) { names, from, to, output };
        plot.SetAction(result =>
        {
            var chosen = result.GetValue(names) is { Length: > 0 } given ? given : ["relu", "swish", "cos"];
            var (left, right) = (result.GetValue(from), result.GetValue(to));
            if (!(left < right)) return Fail(context, $"--from {left} must be below --to {right}");
            try
            {
                var written = ActivationPlots.Write(chosen, result.GetValue(output)!.FullName, left, right);
                foreach (var path in written) context.Output.WriteLine(Path.GetRelativePath(Environment.CurrentDirectory, path));
                return ExitCodes.Success;
            }
            catch (ArgumentException e)
            {
                return Fail(context, e.Message);
            }
        });

        return new Command("activations", "The activation functions: list them, or plot them with their derivatives.") { list, plot };
    }

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"cos: {message}");
        return ExitCodes.UserError;
    }
}
