using System.Globalization;

namespace CoS.Distributed.Training.Activations;

/// <summary>
/// Recursive-descent parser for activation formulas. Grammar, loosest binding first:
/// sum = product (('+' | '-') product)*; product = unary (('*' | '/') unary)*; unary = '-' unary | power;
/// power = primary ('^' unary)?  (so -x^2 = -(x^2) and 2^3^2 = 2^(3^2));
/// primary = number | x | function '(' sum (',' sum)* ')' | '(' sum ')'.
/// The parser recurses once per level of nesting, and the compiler and the compiled formula once per node, so a
/// formula is bounded before either runs (<see cref="FormulaActivation.MaxLength"/>, <see cref="FormulaActivation.MaxNesting"/>):
/// a stack overflow cannot be caught and would end the whole process, a silo included.
/// </summary>
internal sealed class FormulaParser
{
    private const string OperandExpected = "expected a number, x, a function or '('";

    private readonly string _text;
    private int _position;
    private int _nesting;

    private FormulaParser(string text)
    {
        _text = text;
    }

    public static FormulaNode Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new FormulaException(text, 0, $"the formula is empty; write an expression in x, for example '{CoSActivation.CompositeFormula}'");
        if (text.Length > FormulaActivation.MaxLength)
        {
            throw new FormulaException(text, null,
                $"is {text.Length} characters long; a formula has at most {FormulaActivation.MaxLength} characters: write a shorter formula " +
                $"(an activation is a short expression such as '{CoSActivation.CompositeFormula}')");
        }
        var parser = new FormulaParser(text);
        var root = parser.ParseSum();
        parser.SkipSpaces();
        if (!parser.AtEnd) throw parser.TrailingInput();
        return root;
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private FormulaNode ParseSum()
    {
        var left = ParseProduct();
        while (SkipSpaces() && !AtEnd && Current is '+' or '-')
        {
            var op = Current;
            _position++;
            var right = ParseProduct();
            left = new BinaryNode(op, left, right, left.Start, right.End);
        }
        return left;
    }

    private FormulaNode ParseProduct()
    {
        var left = ParseUnary();
        while (SkipSpaces() && !AtEnd && Current is '*' or '/')
        {
            var op = Current;
            _position++;
            var right = ParseUnary();
            left = new BinaryNode(op, left, right, left.Start, right.End);
        }
        return left;
    }

    private FormulaNode ParseUnary()
    {
        SkipSpaces();
        if (AtEnd || Current != '-') return ParsePower();
        var start = _position++;
        Enter(start);
        var operand = ParseUnary();
        _nesting--;
        return new NegateNode(operand, start, operand.End);
    }

    private FormulaNode ParsePower()
    {
        var power = ParsePrimary();
        SkipSpaces();
        if (AtEnd || Current != '^') return power;
        Enter(_position++);
        var exponent = ParseUnary();
        _nesting--;
        return new BinaryNode('^', power, exponent, power.Start, exponent.End);
    }

    private FormulaNode ParsePrimary()
    {
        SkipSpaces();
        if (AtEnd) throw Error(_position, $"{OperandExpected} but found {Found(_position)}");
        if (char.IsAsciiDigit(Current) || Current == '.') return ParseNumber();
        if (char.IsAsciiLetter(Current) || Current == '_') return ParseNameOrCall();
        if (Current != '(') throw Error(_position, $"{OperandExpected} but found {Found(_position)}");

        var open = _position++;
        Enter(open);
        var inner = ParseSum();
        SkipSpaces();
        if (AtEnd || Current != ')')
            throw Error(_position, $"expected ')' to close the '(' at position {open} but found {Found(_position)}");
        _position++;
        _nesting--;
        return inner;
    }

    private NumberNode ParseNumber()
    {
        var start = _position;
        var digits = SkipDigits();
        if (!AtEnd && Current == '.')
        {
            _position++;
            digits += SkipDigits();
        }
        if (digits == 0) throw Error(start, $"{OperandExpected} but found '.'");
        if (!AtEnd && Current is 'e' or 'E' && HasExponentDigits(_position + 1))
        {
            _position++;
            if (Current is '+' or '-') _position++;
            SkipDigits();
        }

        var literal = _text[start.._position];
        var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value)) throw Error(start, $"the number {literal} is too large for a double");
        return new NumberNode(value, start, _position);
    }

    private bool HasExponentDigits(int at)
    {
        if (at < _text.Length && _text[at] is '+' or '-') at++;
        return at < _text.Length && char.IsAsciiDigit(_text[at]);
    }

    private FormulaNode ParseNameOrCall()
    {
        var start = _position;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Current) || Current == '_')) _position++;
        var name = _text[start.._position];
        if (name is "x" or "X") return new VariableNode(start, _position);

        var function = FormulaFunction.Find(name);
        SkipSpaces();
        var called = !AtEnd && Current == '(';
        if (function is null)
        {
            throw called
                ? Error(start, $"unknown function '{name}'; known functions are {FormulaFunction.KnownList}")
                : Error(start, $"unknown name '{name}'; the only variable is x, and functions are {FormulaFunction.KnownList}");
        }
        if (!called)
            throw Error(_position, $"expected '(' after function '{function.Name}' but found {Found(_position)}; write e.g. {function.Name}({string.Join(", ", Enumerable.Repeat("x", function.Arity))})");

        var open = _position++;
        Enter(start);
        var arguments = new List<FormulaNode>();
        SkipSpaces();
        if (!AtEnd && Current == ')')
        {
            throw Error(start, $"function '{function.Name}' takes {Arguments(function.Arity)} but was given none");
        }
        while (true)
        {
            arguments.Add(ParseSum());
            SkipSpaces();
            if (!AtEnd && Current == ',')
            {
                _position++;
                continue;
            }
            if (AtEnd || Current != ')')
                throw Error(_position, $"expected ',' or ')' to close the '(' at position {open} but found {Found(_position)}");
            _position++;
            break;
        }
        _nesting--;
        if (arguments.Count != function.Arity)
            throw Error(start, $"function '{function.Name}' takes {Arguments(function.Arity)} but was given {arguments.Count}");
        return new CallNode(function, arguments, start, _position);
    }

    /// <summary>Opens a level of nesting at <paramref name="at"/>; the caller closes it when the level is parsed.</summary>
    private void Enter(int at)
    {
        if (++_nesting > FormulaActivation.MaxNesting)
        {
            throw Error(at,
                $"the formula is nested more than {FormulaActivation.MaxNesting} levels deep here (each parenthesis, function call, unary minus and power opens a level); " +
                "write it with fewer levels");
        }
    }

    private static string Arguments(int count) => count == 1 ? "1 argument" : $"{count} arguments";

    private int SkipDigits()
    {
        var start = _position;
        while (!AtEnd && char.IsAsciiDigit(Current)) _position++;
        return _position - start;
    }

    /// <summary>Skips white space; returns true so that it can sit in a loop condition.</summary>
    private bool SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(Current)) _position++;
        return true;
    }

    private FormulaException TrailingInput()
    {
        if (Current == ')') return Error(_position, "found ')' without a matching '('");
        var problem = $"expected an operator (+ - * / ^) or the end of the formula but found {Found(_position)}";
        if (char.IsAsciiLetterOrDigit(Current) || Current is '(' or '.' or '_') problem += "; write '*' to multiply";
        return Error(_position, problem);
    }

    private string Found(int at) => at >= _text.Length ? "the end of the formula" : $"'{_text[at]}'";

    private FormulaException Error(int at, string problem) => new(_text, at, problem);
}
