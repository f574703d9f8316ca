namespace CoS.Distributed.Training.Activations;

/// <summary>A parsed formula: a tree whose nodes remember the characters [Start, End) they came from.</summary>
internal abstract record FormulaNode(int Start, int End);

internal sealed record NumberNode(double Value, int Start, int End) : FormulaNode(Start, End);

internal sealed record VariableNode(int Start, int End) : FormulaNode(Start, End);

internal sealed record NegateNode(FormulaNode Operand, int Start, int End) : FormulaNode(Start, End);

/// <summary>Operator is one of + - * / ^.</summary>
internal sealed record BinaryNode(char Operator, FormulaNode Left, FormulaNode Right, int Start, int End) : FormulaNode(Start, End);

internal sealed record CallNode(FormulaFunction Function, IReadOnlyList<FormulaNode> Arguments, int Start, int End) : FormulaNode(Start, End);
