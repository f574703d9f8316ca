using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CoS.Distributed.Client.Sweeps;

/// <summary>A YAML node and where it starts in the file (1-based line and column).</summary>
internal abstract record YamlNode(int Line, int Column);

/// <summary>
/// A scalar as written. <paramref name="IsText"/> is true when the writer marked it as text (quoted, a block
/// scalar or tagged !!str), so that "5" is never read as a number.
/// </summary>
internal sealed record YamlScalar(string Value, bool IsText, int Line, int Column) : YamlNode(Line, Column)
{
    public bool IsNull => !IsText && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed record YamlList(IReadOnlyList<YamlNode> Items, int Line, int Column) : YamlNode(Line, Column);

/// <summary>A mapping with its entries in file order, duplicates kept so that the reader can report them.</summary>
internal sealed record YamlMap(IReadOnlyList<(YamlNode Key, YamlNode Value)> Entries, int Line, int Column) : YamlNode(Line, Column);

/// <summary>
/// Builds YAML documents from YamlDotNet's parser events. Not YamlDotNet's representation model: that one stops at
/// the first duplicate key, and a sweep file reports every problem in one pass.
/// </summary>
internal static partial class YamlTree
{
    // Sweep files nest four levels; the limit keeps a hostile file from exhausting the stack.
    private const int MaxDepth = 64;

    private const string TextTag = "tag:yaml.org,2002:str";

    /// <summary>Every document in <paramref name="text"/>; throws <see cref="YamlException"/> at the first syntax error.</summary>
    public static IReadOnlyList<YamlNode> Read(string text)
    {
        var builder = new Builder(new Parser(new StringReader(text)));
        try
        {
            return builder.Documents();
        }
        catch (InvalidOperationException) when (builder.OpenFlow is { } open)
        {
            // YamlDotNet's scanner throws this bare exception when a [ … ] or { … } runs on to a line further left.
            var close = open.Bracket == '[' ? ']' : '}';
            throw new YamlException(open.Start, open.Start,
                $"this '{open.Bracket}' is not closed before a line that starts further left; close it with '{close}', or indent the lines that continue it");
        }
    }

    /// <summary>The parser's message without the position prefix YamlDotNet puts in front of it.</summary>
    public static string Describe(YamlException exception) => PositionPrefix().Replace(exception.Message, "");

    private sealed class Builder(IParser parser)
    {
        private readonly Stack<(Mark Start, char Bracket)> openFlows = new();
        private Dictionary<string, YamlNode> anchors = new(StringComparer.Ordinal);

        /// <summary>Where the innermost [ … ] or { … } being read starts.</summary>
        public (Mark Start, char Bracket)? OpenFlow => openFlows.Count > 0 ? openFlows.Peek() : null;

        public List<YamlNode> Documents()
        {
            parser.Consume<StreamStart>();
            var documents = new List<YamlNode>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
                documents.Add(Node(0));
                parser.Consume<DocumentEnd>();
            }
            parser.Consume<StreamEnd>();
            return documents;
        }

        private YamlNode Node(int depth)
        {
            var start = parser.Current ?? throw new YamlException("the file ends in the middle of a value");
            if (depth > MaxDepth)
                throw new YamlException(start.Start, start.End, $"values are nested more than {MaxDepth} levels deep; a sweep file needs four");

            // Pushed before the start is consumed: consuming it already scans what follows.
            var flow = start is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow };
            if (flow) openFlows.Push((start.Start, start is SequenceStart ? '[' : '{'));

            YamlNode node;
            switch (parser.Consume<ParsingEvent>())
            {
                case AnchorAlias alias:
                    return anchors.TryGetValue(alias.Value.Value, out var anchored)
                        ? anchored
                        : throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} names no anchor &{alias.Value.Value} defined above it");
                case Scalar scalar:
                    var isText = scalar.Style is not ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value is TextTag or "!!str");
                    node = new YamlScalar(scalar.Value, isText, Line(scalar.Start), Column(scalar.Start));
                    break;
                case SequenceStart sequence:
                    var items = new List<YamlNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(Node(depth + 1));
                    node = new YamlList(items, Line(sequence.Start), Column(sequence.Start));
                    break;
                case MappingStart mapping:
                    var entries = new List<(YamlNode, YamlNode)>();
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var key = Node(depth + 1);
                        entries.Add((key, Node(depth + 1)));
                    }
                    node = new YamlMap(entries, Line(mapping.Start), Column(mapping.Start));
                    break;
                default:
                    throw new YamlException(start.Start, start.End, $"unexpected {start.GetType().Name} where a value belongs");
            }

            if (flow) openFlows.Pop();
            if (start is NodeEvent { Anchor.IsEmpty: false } named) anchors[named.Anchor.Value] = node;
            return node;
        }
    }

    private static int Line(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static int Column(Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
