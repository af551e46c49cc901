using Wp.Core.Config;

namespace Wp.Core.Wpl;

/// <summary>A rule as parsed, before compilation.</summary>
internal sealed record WplRuleSpec(string Path, string File, int Line, int Column, IReadOnlyList<WplGroupSpec> Groups);

/// <summary>
/// Recursive-descent parser for WPL files (SPEC §5.1–§5.2). Stops a file at its first syntax
/// error (reported with file, line and column); the caller collects errors across files.
/// </summary>
internal sealed class WplParser
{
    private static readonly Dictionary<string, WplType> TypeNames = new(StringComparer.Ordinal)
    {
        ["digit"] = WplType.Digit,
        ["float"] = WplType.Float,
        ["bool"] = WplType.Bool,
        ["chars"] = WplType.Chars,
        ["_"] = WplType.Ignore,
        ["sn"] = WplType.Sn,
        ["ip"] = WplType.Ip,
        ["time"] = WplType.Time,
        ["time/clf"] = WplType.TimeClf,
        ["http/request"] = WplType.HttpRequest,
        ["http/status"] = WplType.HttpStatus,
        ["http/agent"] = WplType.HttpAgent,
        ["kv"] = WplType.Kv,
        ["json"] = WplType.Json,
        ["kvarr"] = WplType.Kvarr,
        ["symbol"] = WplType.Symbol,
    };

    private readonly string _file;
    private readonly string _text;
    private readonly List<int> _lineStarts = [0];
    private int _pos;

    private WplParser(string file, string text)
    {
        _file = file;
        _text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Looks up a type name (<c>digit</c>, <c>time/clf</c>, …).</summary>
    public static bool TryGetType(string name, out WplType type) => TypeNames.TryGetValue(name, out type);

    /// <summary>Parses one file; a syntax error is added to <paramref name="problems"/> and ends the file.</summary>
    public static List<WplRuleSpec> ParseFile(string file, string text, List<ConfigProblem> problems)
    {
        var parser = new WplParser(file, text);
        var rules = new List<WplRuleSpec>();
        try
        {
            parser.ParseFile(rules);
        }
        catch (SyntaxError e)
        {
            var (line, col) = parser.Locate(e.Position);
            problems.Add(new ConfigProblem(file, line, col, e.Message));
        }

        return rules;
    }

    private void ParseFile(List<WplRuleSpec> rules)
    {
        SkipTrivia();
        if (AtEnd)
        {
            throw new SyntaxError(_pos, "expected 'package'");
        }

        while (!AtEnd)
        {
            ExpectKeyword("package");
            var package = ReadName("package name", allowLeadingSlash: true);
            Expect('{');
            while (true)
            {
                SkipTrivia();
                if (AtEnd)
                {
                    throw new SyntaxError(_pos, $"unterminated '{{' of package '{package}'");
                }

                if (Peek == '}')
                {
                    _pos++;
                    break;
                }

                rules.Add(ParseRule(package));
            }

            SkipTrivia();
        }
    }

    private WplRuleSpec ParseRule(string package)
    {
        var start = _pos;
        ExpectKeyword("rule");
        var name = ReadName("rule name", allowLeadingSlash: true);
        var open = SkipTriviaAndMark();
        Expect('{');
        var groups = new List<WplGroupSpec>();
        while (true)
        {
            SkipTrivia();
            if (AtEnd)
            {
                throw new SyntaxError(open, $"unterminated '{{' of rule '{name}'");
            }

            if (Peek == '}')
            {
                if (groups.Count == 0)
                {
                    throw new SyntaxError(_pos, "rule body needs at least one '( ... )' group");
                }

                _pos++;
                break;
            }

            if (groups.Count > 0 && Peek == ',')
            {
                _pos++;
                SkipTrivia();
            }

            groups.Add(ParseGroup());
        }

        var (line, col) = Locate(start);
        return new WplRuleSpec(JoinPath(package, name), _file, line, col, groups);
    }

    private static string JoinPath(string package, string rule)
    {
        if (package.EndsWith('/') && rule.StartsWith('/'))
        {
            return package + rule[1..];
        }

        return package.EndsWith('/') || rule.StartsWith('/') ? package + rule : package + "/" + rule;
    }

    private WplGroupSpec ParseGroup()
    {
        SkipTrivia();
        var start = _pos;
        if (AtEnd || Peek != '(')
        {
            throw new SyntaxError(_pos, $"expected '(' to start a field group, found {Describe()}");
        }

        _pos++;
        var fields = new List<WplFieldSpec>();
        while (true)
        {
            fields.Add(ParseField());
            SkipTrivia();
            if (AtEnd)
            {
                throw new SyntaxError(_pos, "missing ')' to close the field group");
            }

            if (Peek == ',')
            {
                _pos++;
                continue;
            }

            if (Peek == ')')
            {
                _pos++;
                break;
            }

            throw new SyntaxError(_pos, $"missing ')' or ',' after field, found {Describe()}");
        }

        WplSeparator? sep = null;
        if (!AtEnd && Peek == '\\')
        {
            sep = ReadSeparator();
        }

        var (line, col) = Locate(start);
        return new WplGroupSpec(fields, sep, line, col);
    }

    private WplFieldSpec ParseField()
    {
        SkipTrivia();
        var start = _pos;
        var count = 1;
        if (!AtEnd && char.IsAsciiDigit(Peek))
        {
            var n = 0L;
            while (!AtEnd && char.IsAsciiDigit(Peek))
            {
                n = (n * 10) + (Peek - '0');
                if (n > 1000)
                {
                    throw new SyntaxError(start, "repeat count must be between 1 and 1000");
                }

                _pos++;
            }

            if (AtEnd || Peek != '*')
            {
                throw new SyntaxError(_pos, $"expected '*' after repeat count, found {Describe()}");
            }

            if (n < 1)
            {
                throw new SyntaxError(start, "repeat count must be between 1 and 1000");
            }

            count = (int)n;
            _pos++;
        }

        var typeStart = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '/'))
        {
            _pos++;
        }

        var typeName = _text[typeStart.._pos];
        if (typeName.Length == 0)
        {
            throw new SyntaxError(typeStart, $"expected a field type, found {Describe()}");
        }

        if (!TypeNames.TryGetValue(typeName, out var type))
        {
            throw new SyntaxError(typeStart, $"unknown field type '{typeName}'");
        }

        IReadOnlyList<WplSubfieldSpec> subfields = [];
        string? symbolText = null;
        if (!AtEnd && Peek == '(')
        {
            if (type == WplType.Symbol)
            {
                symbolText = ReadSymbolText();
            }
            else if (type is WplType.Kv or WplType.Kvarr or WplType.Json)
            {
                subfields = ReadSubfields();
            }
            else
            {
                throw new SyntaxError(_pos, $"type '{typeName}' takes no '(...)' arguments");
            }
        }

        if (type == WplType.Symbol && symbolText is null)
        {
            throw new SyntaxError(_pos, "symbol needs its text: symbol(TEXT)");
        }

        string? name = null;
        SkipInlineSpace();
        if (!AtEnd && Peek == ':')
        {
            _pos++;
            SkipInlineSpace();
            name = ReadName("field name", allowLeadingSlash: false);
        }

        string? begin = null;
        string? end = null;
        SkipInlineSpace();
        if (!AtEnd && Peek == '"')
        {
            _pos++;
            begin = end = "\"";
        }
        else if (!AtEnd && Peek == '<')
        {
            (begin, end) = ReadEnclosure();
        }

        WplSeparator? sep = null;
        SkipInlineSpace();
        if (!AtEnd && Peek == '\\')
        {
            sep = ReadSeparator();
        }

        var (line, col) = Locate(start);
        return new WplFieldSpec(typeName, type, count, name, begin, end, sep, subfields, symbolText, line, col);
    }

    private (string Begin, string End) ReadEnclosure()
    {
        var open = _pos;
        _pos++; // '<'
        var b = _pos;
        while (!AtEnd && Peek != ',' && Peek != '>' && Peek != '\n')
        {
            _pos++;
        }

        if (AtEnd || Peek != ',' || _pos == b)
        {
            throw new SyntaxError(open, "enclosure must be written <BEGIN,END>");
        }

        var begin = _text[b.._pos];
        _pos++;
        var e = _pos;
        while (!AtEnd && Peek != '>' && Peek != '\n')
        {
            _pos++;
        }

        if (AtEnd || Peek != '>' || _pos == e)
        {
            throw new SyntaxError(open, "enclosure must be written <BEGIN,END>");
        }

        var end = _text[e.._pos];
        _pos++;
        return (begin, end);
    }

    private string ReadSymbolText()
    {
        var open = _pos;
        _pos++; // '('
        var sb = new System.Text.StringBuilder();
        if (!AtEnd && Peek == '"')
        {
            _pos++;
            while (!AtEnd && Peek != '"')
            {
                if (Peek == '\\' && _pos + 1 < _text.Length)
                {
                    _pos++;
                }

                sb.Append(Peek);
                _pos++;
            }

            if (AtEnd)
            {
                throw new SyntaxError(open, "unterminated '\"' in symbol text");
            }

            _pos++;
            if (AtEnd || Peek != ')')
            {
                throw new SyntaxError(_pos, "missing ')' after symbol text");
            }
        }
        else
        {
            while (!AtEnd && Peek != ')' && Peek != '\n')
            {
                if (Peek == '\\' && _pos + 1 < _text.Length)
                {
                    _pos++;
                }

                sb.Append(Peek);
                _pos++;
            }

            if (AtEnd || Peek != ')')
            {
                throw new SyntaxError(open, "missing ')' after symbol text");
            }
        }

        _pos++;
        if (sb.Length == 0)
        {
            throw new SyntaxError(open, "symbol text must not be empty");
        }

        return sb.ToString();
    }

    private List<WplSubfieldSpec> ReadSubfields()
    {
        _pos++; // '('
        var list = new List<WplSubfieldSpec>();
        while (true)
        {
            SkipTrivia();
            var typeStart = _pos;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '/'))
            {
                _pos++;
            }

            var typeName = _text[typeStart.._pos];
            if (typeName.Length == 0)
            {
                throw new SyntaxError(typeStart, $"expected a subfield TYPE@key, found {Describe()}");
            }

            if (!TypeNames.TryGetValue(typeName, out var type) || type is WplType.Kv or WplType.Kvarr or WplType.Json or WplType.Symbol)
            {
                throw new SyntaxError(typeStart, $"unknown subfield type '{typeName}'");
            }

            if (AtEnd || Peek != '@')
            {
                throw new SyntaxError(_pos, $"expected '@key' after subfield type, found {Describe()}");
            }

            _pos++;
            var keyStart = _pos;
            while (!AtEnd && IsKeyChar(Peek))
            {
                _pos++;
            }

            if (_pos == keyStart)
            {
                throw new SyntaxError(_pos, "expected a key after '@'");
            }

            var key = _text[keyStart.._pos];
            string? name = null;
            SkipInlineSpace();
            if (!AtEnd && Peek == ':')
            {
                _pos++;
                name = ReadName("subfield name", allowLeadingSlash: false);
            }

            list.Add(new WplSubfieldSpec(typeName, type, key, name));
            SkipTrivia();
            if (AtEnd)
            {
                throw new SyntaxError(_pos, "missing ')' after subfields");
            }

            if (Peek == ',')
            {
                _pos++;
                continue;
            }

            if (Peek == ')')
            {
                _pos++;
                return list;
            }

            throw new SyntaxError(_pos, $"missing ')' after subfields, found {Describe()}");
        }
    }

    private WplSeparator ReadSeparator()
    {
        var at = _pos;
        _pos++; // '\'
        if (AtEnd || char.IsWhiteSpace(Peek))
        {
            throw new SyntaxError(at, "bad separator: '\\' must be followed by a character");
        }

        var c = Peek;
        _pos++;
        return c switch
        {
            's' => new WplSeparator(WplSeparatorKind.Char, ' '),
            't' => new WplSeparator(WplSeparatorKind.Char, '\t'),
            'S' => new WplSeparator(WplSeparatorKind.SpaceOrTab, ' '),
            '0' => new WplSeparator(WplSeparatorKind.RestOfLine, '\0'),
            _ when char.IsAsciiLetterOrDigit(c) || char.IsControl(c) =>
                throw new SyntaxError(at, $"bad separator '\\{c}' (use \\s, \\t, \\S, \\0 or a punctuation character)"),
            _ => new WplSeparator(WplSeparatorKind.Char, c),
        };
    }

    internal static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '[' or ']';

    private string ReadName(string what, bool allowLeadingSlash)
    {
        SkipTrivia();
        var start = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '-' or '.' or '@' || (Peek == '/' && (allowLeadingSlash || _pos > start))))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw new SyntaxError(_pos, $"expected {what}, found {Describe()}");
        }

        return _text[start.._pos];
    }

    private void ExpectKeyword(string keyword)
    {
        SkipTrivia();
        var start = _pos;
        while (!AtEnd && char.IsAsciiLetter(Peek))
        {
            _pos++;
        }

        if (!_text.AsSpan(start, _pos - start).SequenceEqual(keyword))
        {
            _pos = start;
            throw new SyntaxError(start, $"expected '{keyword}', found {Describe()}");
        }
    }

    private void Expect(char c)
    {
        SkipTrivia();
        if (AtEnd || Peek != c)
        {
            throw new SyntaxError(_pos, $"expected '{c}', found {Describe()}");
        }

        _pos++;
    }

    private int SkipTriviaAndMark()
    {
        SkipTrivia();
        return _pos;
    }

    private void SkipInlineSpace()
    {
        while (!AtEnd && Peek is ' ' or '\t')
        {
            _pos++;
        }
    }

    /// <summary>Skips whitespace, <c>//</c> line comments and <c>/* */</c> blocks.</summary>
    private void SkipTrivia()
    {
        while (!AtEnd)
        {
            var c = Peek;
            if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '/')
            {
                while (!AtEnd && Peek != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && _pos + 1 < _text.Length && _text[_pos + 1] == '*')
            {
                var close = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new SyntaxError(_pos, "unterminated '/*' comment");
                }

                _pos = close + 2;
            }
            else
            {
                return;
            }
        }
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Peek => _text[_pos];

    private string Describe()
    {
        if (AtEnd)
        {
            return "end of file";
        }

        var c = Peek;
        return c == '\n' || c == '\r' ? "end of line" : $"'{c}'";
    }

    private (int Line, int Column) Locate(int pos)
    {
        var idx = _lineStarts.BinarySearch(pos);
        if (idx < 0)
        {
            idx = ~idx - 1;
        }

        return (idx + 1, pos - _lineStarts[idx] + 1);
    }

    private sealed class SyntaxError(int position, string message) : Exception(message)
    {
        public int Position { get; } = position;
    }
}
