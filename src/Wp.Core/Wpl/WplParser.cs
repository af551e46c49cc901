using Wp.Core.Config;

namespace Wp.Core.Wpl;

/// <summary>A rule as parsed, before compilation.</summary>
internal sealed record WplRuleSpec(string Path, string File, int Line, int Column, IReadOnlyList<WplGroupSpec> Groups)
{
    /// <summary>Preprocessing steps (<c>|decode/base64|unquote/unescape|</c>) applied to the line first.</summary>
    public IReadOnlyList<string> Preproc { get; init; } = [];

    /// <summary>The rule's annotations, merged with its package's.</summary>
    public WplAnnotation Annotation { get; init; } = WplAnnotation.None;
}

/// <summary>
/// Recursive-descent parser for WPL files (SPEC §5.1–§5.2). Stops a file at its first syntax
/// error (reported with file, line and column); the caller collects errors across files.
/// </summary>
internal sealed class WplParser
{
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
    public static bool TryGetType(string name, out WplType type) => WplTypes.TryGet(name, out type, out _);

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
            var packageAnnotation = ReadAnnotations();
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

                var ruleAnnotation = ReadAnnotations();
                var rule = ParseRule(package);
                rules.Add(rule with { Annotation = packageAnnotation.MergeUnder(ruleAnnotation) });
            }

            SkipTrivia();
        }
    }

    /// <summary>Reads any <c>#[...]</c> annotations (several blocks merge; later ones win).</summary>
    private WplAnnotation ReadAnnotations()
    {
        var result = WplAnnotation.None;
        while (true)
        {
            SkipTrivia();
            if (AtEnd || Peek != '#' || _pos + 1 >= _text.Length || _text[_pos + 1] != '[')
            {
                return result;
            }

            var open = _pos;
            _pos += 2;
            var tags = new List<KeyValuePair<string, string>>();
            string? copyRaw = null;
            while (true)
            {
                SkipTrivia();
                if (AtEnd)
                {
                    throw new SyntaxError(open, "unterminated '#[' annotation");
                }

                if (Peek == ']')
                {
                    _pos++;
                    break;
                }

                if (Peek == ',')
                {
                    _pos++;
                    continue;
                }

                var itemAt = _pos;
                var item = ReadName("annotation (tag(...) or copy_raw(name: \"...\"))", allowLeadingSlash: false);
                SkipTrivia();
                var args = new List<KeyValuePair<string, string>>();
                if (!AtEnd && Peek == '(')
                {
                    args = ReadAnnotationArgs();
                }

                switch (item)
                {
                    case "tag":
                        tags.AddRange(args);
                        break;
                    case "copy_raw":
                        var name = args.Find(a => a.Key == "name").Value;
                        if (string.IsNullOrEmpty(name))
                        {
                            throw new SyntaxError(itemAt, "copy_raw needs a field name: copy_raw(name: \"raw\")");
                        }

                        copyRaw = name;
                        break;
                    default:
                        // Other upstream annotations (no_match, copy_event_parse, …) are accepted and
                        // have no effect in wp (docs/wpl.md, "Differences").
                        break;
                }

                SkipTrivia();
                if (AtEnd || (Peek != ',' && Peek != ']'))
                {
                    throw new SyntaxError(open, $"unterminated '#[' annotation: expected ',' or ']' after '{item}', found {Describe()}");
                }
            }

            result = result.MergeUnder(new WplAnnotation(tags, copyRaw));
        }
    }

    private List<KeyValuePair<string, string>> ReadAnnotationArgs()
    {
        var open = _pos;
        _pos++; // '('
        var args = new List<KeyValuePair<string, string>>();
        while (true)
        {
            SkipTrivia();
            if (AtEnd)
            {
                throw new SyntaxError(open, "missing ')' after annotation arguments");
            }

            if (Peek == ')')
            {
                _pos++;
                return args;
            }

            if (Peek == ',')
            {
                _pos++;
                continue;
            }

            var key = ReadName("annotation key", allowLeadingSlash: false);
            SkipTrivia();
            if (AtEnd || Peek != ':')
            {
                throw new SyntaxError(_pos, $"expected ':' after annotation key '{key}', found {Describe()}");
            }

            _pos++;
            SkipTrivia();
            args.Add(new(key, ReadAnnotationValue()));
        }
    }

    private string ReadAnnotationValue()
    {
        var start = _pos;
        if (!AtEnd && Peek == 'r' && _pos + 2 < _text.Length && _text[_pos + 1] == '#' && _text[_pos + 2] == '"')
        {
            var close = _text.IndexOf("\"#", _pos + 3, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new SyntaxError(start, "unterminated r#\"...\"# string");
            }

            _pos = close + 2;
            return _text[(start + 3)..close];
        }

        if (!AtEnd && Peek == '"')
        {
            _pos++;
            var sb = new System.Text.StringBuilder();
            while (!AtEnd && Peek != '"')
            {
                if (Peek == '\\' && _pos + 1 < _text.Length)
                {
                    _pos++;
                    sb.Append(Peek switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => Peek });
                }
                else
                {
                    sb.Append(Peek);
                }

                _pos++;
            }

            if (AtEnd)
            {
                throw new SyntaxError(start, "unterminated '\"' in annotation value");
            }

            _pos++;
            return sb.ToString();
        }

        while (!AtEnd && Peek != ',' && Peek != ')' && Peek != '\n')
        {
            _pos++;
        }

        return _text[start.._pos].Trim();
    }

    private WplRuleSpec ParseRule(string package)
    {
        var start = _pos;
        ExpectKeyword("rule");
        var name = ReadName("rule name", allowLeadingSlash: true);
        var open = SkipTriviaAndMark();
        Expect('{');
        SkipTrivia();
        var preproc = ReadPreproc();
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
                if (!AtEnd && Peek == '}')
                {
                    continue;
                }
            }

            groups.Add(ParseGroup());
        }

        var (line, col) = Locate(start);
        return new WplRuleSpec(JoinPath(package, name), _file, line, col, groups) { Preproc = preproc };
    }

    /// <summary><c>|step|step|</c> before the first group (at least one step, ending with '|').</summary>
    private List<string> ReadPreproc()
    {
        var steps = new List<string>();
        if (AtEnd || Peek != '|')
        {
            return steps;
        }

        while (true)
        {
            SkipTrivia();
            if (AtEnd || Peek != '|')
            {
                throw new SyntaxError(_pos, $"expected '|' after preprocessing step, found {Describe()} (write |step|step|(fields))");
            }

            _pos++;
            SkipTrivia();
            if (AtEnd || Peek == '(' || (steps.Count > 0 && StartsGroupMeta()))
            {
                if (steps.Count == 0)
                {
                    throw new SyntaxError(_pos, "expected a preprocessing step after '|' (e.g. |decode/base64|)");
                }

                return steps;
            }

            var at = _pos;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '/' or '-'))
            {
                _pos++;
            }

            var step = _text[at.._pos];
            if (step.Length == 0)
            {
                throw new SyntaxError(at, $"expected a preprocessing step, found {Describe()}");
            }

            if (!WplPreproc.IsKnown(step))
            {
                var hint = step.StartsWith("plg_pipe", StringComparison.Ordinal)
                    ? " (plugin pipes are not supported by wp)"
                    : WplTypes.DidYouMean(step, WplPreproc.Known);
                throw new SyntaxError(at, $"unknown preprocessing step '{step}'{hint}; known: {string.Join(", ", WplPreproc.Known)}");
            }

            steps.Add(step);
        }
    }

    private bool StartsGroupMeta()
    {
        foreach (var meta in GroupMetas)
        {
            if (_text.AsSpan(_pos).StartsWith(meta.Key, StringComparison.Ordinal))
            {
                var j = _pos + meta.Key.Length;
                while (j < _text.Length && char.IsWhiteSpace(_text[j]))
                {
                    j++;
                }

                if (j < _text.Length && _text[j] == '(')
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static readonly KeyValuePair<string, WplGroupMeta>[] GroupMetas =
    [
        new("some_of", WplGroupMeta.SomeOf),
        new("alt", WplGroupMeta.Alt),
        new("opt", WplGroupMeta.Opt),
        new("seq", WplGroupMeta.Seq),
        new("not", WplGroupMeta.Not),
    ];

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
        var meta = WplGroupMeta.Seq;
        if (!AtEnd && Peek != '(' && StartsGroupMeta())
        {
            foreach (var m in GroupMetas)
            {
                if (_text.AsSpan(_pos).StartsWith(m.Key, StringComparison.Ordinal))
                {
                    meta = m.Value;
                    _pos += m.Key.Length;
                    break;
                }
            }

            SkipTrivia();
        }

        if (AtEnd || Peek != '(')
        {
            throw new SyntaxError(_pos, $"expected '(' to start a field group, found {Describe()}");
        }

        _pos++;
        var fields = new List<WplFieldSpec>();
        while (true)
        {
            SkipTrivia();
            if (!AtEnd && Peek == ')')
            {
                if (fields.Count == 0)
                {
                    throw new SyntaxError(_pos, "a field group needs at least one field");
                }

                _pos++;
                break;
            }

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

            throw new SyntaxError(_pos, $"missing ')' or ',' after field, found {Describe()}{OrderHint()}");
        }

        SkipInlineSpace();
        if (!AtEnd && Peek == '[')
        {
            ReadLength();
            SkipInlineSpace();
        }

        WplSeparator? sep = null;
        if (!AtEnd && Peek is '\\' or '{')
        {
            sep = ReadSeparator();
        }

        var (line, col) = Locate(start);
        return new WplGroupSpec(fields, sep, line, col) { Meta = meta };
    }

    /// <summary>A hint when a field part is written out of order (e.g. <c>chars":name</c>).</summary>
    private string OrderHint()
    {
        if (AtEnd)
        {
            return "";
        }

        return Peek is ':' or '"' or '<' or '\\' or '{' or '['
            ? "; a field is written in this order: [N*]type[(...)][:name][[len]][\"|<BEGIN,END>][\\sep][| pipe]"
            : "";
    }

    private WplFieldSpec ParseField()
    {
        SkipTrivia();
        var start = _pos;
        var count = 1;
        var greedy = false;
        if (!AtEnd && Peek == '*')
        {
            greedy = true;
            _pos++;
        }
        else if (!AtEnd && char.IsAsciiDigit(Peek))
        {
            count = ReadCount(start);
            if (AtEnd || Peek != '*')
            {
                throw new SyntaxError(_pos, $"expected '*' after repeat count, found {Describe()}");
            }

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

        if (!WplTypes.TryGet(typeName, out var type, out var element))
        {
            throw new SyntaxError(typeStart, $"unknown field type '{typeName}'{WplTypes.DidYouMean(typeName, WplTypes.AllNames)}");
        }

        IReadOnlyList<WplSubfieldSpec> subfields = [];
        string? symbolText = null;
        if (!AtEnd && Peek == '(')
        {
            if (type is WplType.Symbol or WplType.PeekSymbol)
            {
                symbolText = ReadSymbolText();
            }
            else if (type is WplType.Kv or WplType.Kvarr or WplType.Json or WplType.ExactJson)
            {
                subfields = ReadSubfields();
            }
            else
            {
                throw new SyntaxError(_pos, $"type '{typeName}' takes no '(...)' arguments");
            }
        }

        if (type is WplType.Symbol or WplType.PeekSymbol && symbolText is null)
        {
            throw new SyntaxError(_pos, $"{typeName} needs its text: {typeName}(TEXT)");
        }

        // wp extension: T^N repeats T N times (same as N*T).
        if (!AtEnd && Peek == '^' && count == 1 && !greedy)
        {
            _pos++;
            count = ReadCount(_pos);
        }

        string? name = null;
        SkipInlineSpace();
        if (!AtEnd && Peek == ':')
        {
            _pos++;
            SkipInlineSpace();
            name = ReadName("field name", allowLeadingSlash: false);
        }

        int? length = null;
        SkipInlineSpace();
        if (!AtEnd && Peek == '[')
        {
            length = ReadLength();
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

        name ??= ReadLateName();
        WplSeparator? sep = null;
        SkipInlineSpace();
        if (!AtEnd && Peek is '\\' or '{')
        {
            sep = ReadSeparator();
        }

        // Upstream examples also write the name after the separator (ip{*\s(dst=)}:src).
        name ??= ReadLateName();
        var pipes = new List<WplPipeSpec>();
        while (true)
        {
            var save = _pos;
            SkipTrivia();
            if (AtEnd || Peek != '|')
            {
                _pos = save;
                break;
            }

            _pos++;
            SkipTrivia();
            if (!AtEnd && (Peek == '(' || (StartsGroupMeta() && !_text.AsSpan(_pos).StartsWith("not", StringComparison.Ordinal))))
            {
                pipes.Add(new WplPipeSpec(null, ParseGroup()));
            }
            else
            {
                pipes.Add(new WplPipeSpec(ReadFunction(), null));
            }
        }


        var (line, col) = Locate(start);
        return new WplFieldSpec(typeName, type, count, name, begin, end, sep, subfields, symbolText, line, col)
        {
            Greedy = greedy,
            Length = length,
            ElementType = element,
            Pipes = pipes,
        };
    }

    private string? ReadLateName()
    {
        SkipInlineSpace();
        if (AtEnd || Peek != ':')
        {
            return null;
        }

        _pos++;
        SkipInlineSpace();
        return ReadName("field name", allowLeadingSlash: false);
    }

    private int ReadCount(int start)
    {
        var n = 0L;
        var digits = _pos;
        while (!AtEnd && char.IsAsciiDigit(Peek))
        {
            n = (n * 10) + (Peek - '0');
            if (n > 1000)
            {
                throw new SyntaxError(start, "repeat count must be between 1 and 1000");
            }

            _pos++;
        }

        if (_pos == digits)
        {
            throw new SyntaxError(_pos, $"expected a repeat count, found {Describe()}");
        }

        if (n < 1)
        {
            throw new SyntaxError(start, "repeat count must be between 1 and 1000");
        }

        return (int)n;
    }

    private int ReadLength()
    {
        var open = _pos;
        _pos++; // '['
        var digits = _pos;
        while (!AtEnd && char.IsAsciiDigit(Peek))
        {
            _pos++;
        }

        if (_pos == digits || AtEnd || Peek != ']' || !int.TryParse(_text.AsSpan(digits, _pos - digits), out var n) || n < 1)
        {
            throw new SyntaxError(open, "length must be written [N] with N >= 1");
        }

        _pos++;
        return n;
    }

    /// <summary><c>name(arg, ...)</c> after a field's '|' (a field function).</summary>
    private WplFunctionSpec ReadFunction()
    {
        var at = _pos;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_'))
        {
            _pos++;
        }

        var name = _text[at.._pos];
        if (name.Length == 0)
        {
            throw new SyntaxError(at, $"expected a field function or '(' after '|', found {Describe()}");
        }

        if (!WplFunctions.IsKnown(name))
        {
            throw new SyntaxError(at, $"unknown field function '{name}'{WplTypes.DidYouMean(name, WplFunctions.Known)}");
        }

        SkipInlineSpace();
        if (AtEnd || Peek != '(')
        {
            throw new SyntaxError(_pos, $"expected '(' after function '{name}', found {Describe()}");
        }

        var (line, col) = Locate(at);
        if (name == "not")
        {
            _pos++;
            SkipTrivia();
            var inner = ReadFunction();
            SkipTrivia();
            if (AtEnd || Peek != ')')
            {
                throw new SyntaxError(_pos, $"missing ')' after not(...), found {Describe()}");
            }

            _pos++;
            return new WplFunctionSpec(name, [], inner, line, col);
        }

        var args = ReadFunctionArgs();
        var problem = WplFunctions.CheckArity(name, args.Count);
        if (problem is not null)
        {
            throw new SyntaxError(at, problem);
        }

        return new WplFunctionSpec(name, args, null, line, col);
    }

    private List<string> ReadFunctionArgs()
    {
        var open = _pos;
        _pos++; // '('
        var args = new List<string>();
        var sb = new System.Text.StringBuilder();
        var depth = 0;
        var any = false;
        while (true)
        {
            if (AtEnd)
            {
                throw new SyntaxError(open, "missing ')' after function arguments");
            }

            var c = Peek;
            if (c is '"' or '\'')
            {
                var q = c;
                _pos++;
                while (!AtEnd && Peek != q)
                {
                    if (Peek == '\\' && _pos + 1 < _text.Length && _text[_pos + 1] == q)
                    {
                        _pos++;
                    }

                    sb.Append(Peek);
                    _pos++;
                }

                if (AtEnd)
                {
                    throw new SyntaxError(open, "unterminated string in function arguments");
                }

                _pos++;
                any = true;
                continue;
            }

            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (depth == 0 && (c == ',' || c == ')'))
            {
                var arg = sb.ToString().Trim();
                if (arg.Length > 0 || any || c == ',')
                {
                    args.Add(arg);
                }

                sb.Clear();
                any = false;
                _pos++;
                if (c == ')')
                {
                    return args;
                }

                continue;
            }

            sb.Append(c);
            _pos++;
        }
    }

    private (string Begin, string End) ReadEnclosure()
    {
        var open = _pos;
        _pos++; // '<'
        var b = _pos;
        if (!AtEnd && Peek != ',' && Peek != '\n')
        {
            _pos++; // the first char is always part of BEGIN (so <<,>> works)
        }

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
        if (!AtEnd && Peek != '\n' && Peek != ',')
        {
            _pos++; // the first char is always part of END (so <<,>> works)
        }

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
            if (!AtEnd && Peek == ')')
            {
                _pos++;
                return list;
            }

            list.Add(ReadSubfield());
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

            throw new SyntaxError(_pos, $"missing ')' after subfields, found {Describe()}{OrderHint()}");
        }
    }

    private WplSubfieldSpec ReadSubfield()
    {
        var typeStart = _pos;
        var optional = false;
        if (_text.AsSpan(_pos).StartsWith("opt(", StringComparison.Ordinal))
        {
            optional = true;
            _pos += 4;
            SkipInlineSpace();
            typeStart = _pos;
        }

        while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek is '_' or '/'))
        {
            _pos++;
        }

        var typeName = _text[typeStart.._pos];
        if (optional)
        {
            SkipInlineSpace();
            if (AtEnd || Peek != ')')
            {
                throw new SyntaxError(_pos, $"missing ')' after opt(TYPE, found {Describe()}");
            }

            _pos++;
        }

        var untyped = typeName.Length == 0;
        WplType type;
        if (untyped)
        {
            if (AtEnd || Peek != '@')
            {
                throw new SyntaxError(typeStart, $"expected a subfield TYPE@key or @key, found {Describe()}");
            }

            typeName = "auto";
            type = WplType.Auto;
        }
        else if (!WplTypes.TryGet(typeName, out type, out _) || type is WplType.Kv or WplType.Kvarr or WplType.Json or WplType.ExactJson)
        {
            throw new SyntaxError(typeStart, $"unknown subfield type '{typeName}'{WplTypes.DidYouMean(typeName, WplTypes.AllNames)}");
        }

        string? symbolText = null;
        if (type is WplType.Symbol or WplType.PeekSymbol)
        {
            if (AtEnd || Peek != '(')
            {
                throw new SyntaxError(_pos, $"{typeName} needs its text: {typeName}(TEXT)@key");
            }

            symbolText = ReadSymbolText();
        }

        string key;
        SkipInlineSpace();
        if (AtEnd || Peek != '@')
        {
            if (AtEnd || (Peek != ',' && Peek != ')' && Peek != ':' && !char.IsWhiteSpace(Peek)))
            {
                throw new SyntaxError(_pos, $"expected '@key' after subfield type, found {Describe()}{OrderHint()}");
            }

            key = "*"; // no '@key': the subfield applies to every key not listed
        }
        else
        {
            _pos++;
            var keyStart = _pos;
            while (!AtEnd && (IsKeyChar(Peek) || Peek == '*'))
            {
                _pos++;
            }

            if (_pos == keyStart)
            {
                throw new SyntaxError(_pos, "expected a key after '@'");
            }

            key = _text[keyStart.._pos];
        }
        string? name = null;
        SkipInlineSpace();
        if (!AtEnd && Peek == ':')
        {
            _pos++;
            SkipInlineSpace();
            name = ReadName("subfield name", allowLeadingSlash: false);
        }

        SkipInlineSpace();
        if (!AtEnd && Peek == '<')
        {
            ReadEnclosure(); // the data's own brackets are kept in the value; accepted for upstream rules
        }
        else if (!AtEnd && Peek == '"')
        {
            _pos++;
        }

        return new WplSubfieldSpec(typeName, type, key, name)
        {
            SymbolText = symbolText,
            Optional = optional || untyped || type == WplType.Ignore,
            Untyped = untyped,
        };
    }

    /// <summary>
    /// A separator: one escape (<c>\,</c>, <c>\s</c> space, <c>\t</c> tab, <c>\S</c> space-or-tab, <c>\0</c>
    /// rest of line, <c>\n</c>), a run of escapes read literally (<c>\%\%</c> = "%%", <c>\S\y\s</c> = "Sys"),
    /// or a <c>{...}</c> pattern.
    /// </summary>
    private WplSeparator ReadSeparator()
    {
        if (Peek == '{')
        {
            return ReadSepPattern();
        }

        var at = _pos;
        var chars = new System.Text.StringBuilder();
        while (!AtEnd && Peek == '\\')
        {
            _pos++; // '\'
            if (AtEnd)
            {
                throw new SyntaxError(at, "bad separator: '\\' must be followed by a character");
            }

            chars.Append(Peek);
            _pos++;
        }

        if (chars.Length > 1)
        {
            return WplSeparator.OfText(chars.ToString());
        }

        var c = chars[0];
        return c switch
        {
            's' => new WplSeparator(WplSeparatorKind.Char, ' '),
            't' => new WplSeparator(WplSeparatorKind.Char, '\t'),
            'S' => new WplSeparator(WplSeparatorKind.SpaceOrTab, ' '),
            '0' => new WplSeparator(WplSeparatorKind.RestOfLine, '\0'),
            'n' or '\n' or '\r' => new WplSeparator(WplSeparatorKind.Char, '\n'),
            _ when char.IsAsciiLetterOrDigit(c) || (char.IsControl(c) && c != '\t') =>
                throw new SyntaxError(at, $"bad separator '\\{c}' (use \\s, \\t, \\S, \\0, \\n, a punctuation character, a run like \\%\\% or a {{...}} pattern)"),
            _ => new WplSeparator(WplSeparatorKind.Char, c),
        };
    }

    private WplSeparator ReadSepPattern()
    {
        var open = _pos;
        _pos++; // '{'
        var segments = new List<WplSepPattern.Segment>();
        var keepFrom = -1;
        var stars = 0;
        var src = _pos;
        while (true)
        {
            if (AtEnd || Peek == '\n')
            {
                throw new SyntaxError(open, "unterminated '{' separator pattern");
            }

            var c = Peek;
            _pos++;
            if (c == '}')
            {
                if (keepFrom >= 0 && _text[_pos - 2] != ')')
                {
                    throw new SyntaxError(open, "in a separator pattern, '(...)' may only come last");
                }

                break;
            }

            switch (c)
            {
                case '*':
                    if (keepFrom >= 0)
                    {
                        throw new SyntaxError(_pos - 1, "'*' is not allowed inside the kept '(...)' of a separator pattern");
                    }

                    if (++stars > 1)
                    {
                        throw new SyntaxError(_pos - 1, "a separator pattern may hold at most one '*'");
                    }

                    segments.Add(new(WplSepPattern.SegKind.Star, '*'));
                    break;
                case '?':
                    segments.Add(new(WplSepPattern.SegKind.One, '?'));
                    break;
                case '(':
                    if (keepFrom >= 0)
                    {
                        throw new SyntaxError(_pos - 1, "'(...)' in a separator pattern cannot be nested or repeated");
                    }

                    keepFrom = segments.Count;
                    break;
                case ')':
                    if (keepFrom < 0)
                    {
                        throw new SyntaxError(_pos - 1, "')' without '(' in a separator pattern (write \\) for a literal)");
                    }

                    if (AtEnd || Peek != '}')
                    {
                        throw new SyntaxError(_pos - 1, "in a separator pattern, '(...)' may only come last");
                    }

                    break;
                case '\\':
                    if (AtEnd)
                    {
                        throw new SyntaxError(open, "unterminated '{' separator pattern");
                    }

                    var e = Peek;
                    _pos++;
                    segments.Add(e switch
                    {
                        's' => new(WplSepPattern.SegKind.Space, e),
                        'S' => new(WplSepPattern.SegKind.NonSpace, e),
                        'h' => new(WplSepPattern.SegKind.HSpace, e),
                        'H' => new(WplSepPattern.SegKind.NonHSpace, e),
                        '0' => new(WplSepPattern.SegKind.Literal, '\0'),
                        'n' => new(WplSepPattern.SegKind.Literal, '\n'),
                        't' => new(WplSepPattern.SegKind.Literal, '\t'),
                        'r' => new(WplSepPattern.SegKind.Literal, '\r'),
                        _ => new(WplSepPattern.SegKind.Literal, e),
                    });
                    break;
                default:
                    segments.Add(new(WplSepPattern.SegKind.Literal, c));
                    break;
            }
        }

        var source = _text[src..(_pos - 1)];
        if (segments.Count == 0)
        {
            throw new SyntaxError(open, "empty separator pattern '{}'");
        }

        return WplSeparator.OfPattern(new WplSepPattern(source, segments, keepFrom < 0 ? segments.Count : keepFrom));
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
