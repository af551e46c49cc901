using Wp.Core.Config;
using Wp.Core.Records;

namespace Wp.Core.Oml;

/// <summary>Loads OML models (SPEC §5.6); every syntax error carries file, line and column.</summary>
internal static class OmlLoader
{
    /// <summary>
    /// Parses every <c>*.oml</c> under <paramref name="dir"/> (recursive, ordinal path order).
    /// Throws <see cref="ConfigException"/> for a missing folder, any file's error (all collected)
    /// or a model name used twice.
    /// </summary>
    public static IReadOnlyList<OmlModel> LoadDirectory(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new ConfigException(dir, "OML folder not found");
        }

        var files = Directory.GetFiles(dir, "*.oml", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        var problems = new List<ConfigProblem>();
        var models = new List<OmlModel>();
        var names = new Dictionary<string, OmlModel>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                var model = Parse(file, File.ReadAllText(file));
                if (names.TryGetValue(model.Name, out var first))
                {
                    problems.Add(new ConfigProblem(file, null, null, $"duplicate model name '{model.Name}' (first in {first.File})"));
                    continue;
                }

                names.Add(model.Name, model);
                models.Add(model);
            }
            catch (ConfigException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigException(problems);
        }

        return models;
    }

    /// <summary>Parses one model. Throws <see cref="ConfigException"/> at the first error.</summary>
    public static OmlModel Parse(string file, string text) => new OmlParser(file, text).Parse();

    private sealed class OmlParser(string file, string text)
    {
        private int _pos;
        private int _line = 1;
        private int _lineStart;

        public OmlModel Parse()
        {
            string? name = null;
            var rules = new List<string>();
            var separatorSeen = false;

            // Header: "key : value" lines up to "---".
            while (_pos < text.Length)
            {
                var lineEnd = text.IndexOf('\n', _pos);
                if (lineEnd < 0)
                {
                    lineEnd = text.Length;
                }

                var raw = text.AsSpan(_pos, lineEnd - _pos);
                var comment = raw.IndexOf("//", StringComparison.Ordinal);
                var content = (comment >= 0 ? raw[..comment] : raw).Trim();
                var contentColumn = _pos - _lineStart + (raw.Length - raw.TrimStart().Length) + 1;
                if (content.SequenceEqual("---"))
                {
                    separatorSeen = true;
                    NextLine(lineEnd);
                    break;
                }

                if (content.Length > 0)
                {
                    var colon = content.IndexOf(':');
                    if (colon < 0)
                    {
                        throw Error(_line, contentColumn, "expected 'key : value' or '---'");
                    }

                    var key = content[..colon].Trim();
                    var value = content[(colon + 1)..].Trim().ToString();
                    if (value.Length == 0)
                    {
                        throw Error(_line, contentColumn + colon + 1, $"missing value for '{key}'");
                    }

                    if (key.SequenceEqual("name"))
                    {
                        name = value;
                    }
                    else if (key.SequenceEqual("rule"))
                    {
                        rules.Add(value);
                    }
                    else
                    {
                        throw Error(_line, contentColumn, $"unknown header key '{key}' (expected name or rule)");
                    }
                }

                NextLine(lineEnd);
            }

            if (!separatorSeen)
            {
                throw Error(_line, null, "missing '---' between the header and the statements");
            }

            if (name is null)
            {
                throw Error(1, null, "missing 'name : NAME' header");
            }

            if (rules.Count == 0)
            {
                throw Error(1, null, "missing 'rule : PATTERN' header");
            }

            var statements = new List<OmlStatement>();
            while (true)
            {
                SkipTrivia();
                if (_pos >= text.Length)
                {
                    break;
                }

                statements.Add(ParseStatement());
            }

            return new OmlModel(name, rules, file, statements);
        }

        private OmlStatement ParseStatement()
        {
            var (line, col) = (_line, Column);
            string target;
            if (Peek == '*')
            {
                _pos++;
                target = "*";
            }
            else
            {
                target = ReadName("a target field name or '*'");
            }

            var cast = OmlCast.Auto;
            SkipTrivia();
            if (Peek == ':')
            {
                _pos++;
                SkipTrivia();
                var (tl, tc) = (_line, Column);
                var typeName = ReadName("a type");
                cast = typeName switch
                {
                    "auto" => OmlCast.Auto,
                    "chars" => OmlCast.Chars,
                    "digit" => OmlCast.Digit,
                    "float" => OmlCast.Float,
                    "bool" => OmlCast.Bool,
                    "ip" => OmlCast.Ip,
                    "time" => OmlCast.Time,
                    _ => throw Error(tl, tc, $"unknown type '{typeName}' (expected auto, chars, digit, float, bool, ip or time)"),
                };
                if (target == "*" && cast != OmlCast.Auto)
                {
                    throw Error(tl, tc, "'*' can only be 'auto'");
                }
            }

            Expect('=');
            SkipTrivia();
            var (fl, fc) = (_line, Column);
            if (text.AsSpan(_pos).StartsWith("pipe ", StringComparison.Ordinal))
            {
                _pos += 5; // upstream's optional 'pipe' keyword before read(x) | ...
                SkipTrivia();
                (fl, fc) = (_line, Column);
            }

            if (Peek == '@')
            {
                // @field = read(field)
                _pos++;
                var field = ReadName("a field name after '@'");
                var st = new OmlStatement(target, cast, OmlSource.Read, field, default, line, col) { Pipes = ReadPipes() };
                Expect(';');
                return st;
            }

            var function = ReadName("take, read or a constant");
            if (function is not ("take" or "read" or "chars" or "digit" or "float" or "bool" or "ip" or "time"))
            {
                throw Error(fl, fc, $"unknown function '{function}'{Wpl.WplTypes.DidYouMean(function, ["take", "read", "chars", "digit", "float", "bool", "ip", "time"])} (expected take, read, chars, digit, float, bool, ip or time)");
            }

            Expect('(');
            OmlStatement statement;
            switch (function)
            {
                case "take":
                case "read":
                    SkipTrivia();
                    string? source = null;
                    if (Peek != ')')
                    {
                        source = ReadName("a field name");
                    }

                    if (target == "*" && source is not null)
                    {
                        throw Error(fl, fc, "'*' takes no argument: write '* = take()'");
                    }

                    Expect(')');
                    var pipes = ReadPipes();
                    if (target == "*" && pipes.Count > 0)
                    {
                        throw Error(fl, fc, "'*' takes no pipe functions");
                    }

                    statement = new OmlStatement(target, cast, function == "take" ? OmlSource.Take : OmlSource.Read, source, default, line, col) { Pipes = pipes };
                    break;
                case "chars":
                case "digit":
                case "float":
                case "bool":
                case "ip":
                case "time":
                    if (target == "*")
                    {
                        throw Error(fl, fc, "'*' cannot be a constant");
                    }

                    var (al, ac) = (_line, Column);
                    var arg = ReadConstantText();
                    var value = Constant(function, arg, al, ac);
                    if (!OmlModel.TryCast(value, cast, out value))
                    {
                        throw Error(al, ac, $"constant {function}({arg}) cannot be cast");
                    }

                    statement = new OmlStatement(target, OmlCast.Auto, OmlSource.Constant, null, value, line, col);
                    break;
                default:
                    throw Error(fl, fc, $"unknown function '{function}' (expected take, read, chars, digit, float, bool, ip or time)");
            }

            Expect(';');
            return statement;
        }

        /// <summary><c>| name</c> or <c>| name(args)</c>, repeated; names may hold <c>::</c> (Time::to_ts).</summary>
        private List<OmlPipe> ReadPipes()
        {
            var pipes = new List<OmlPipe>();
            while (true)
            {
                SkipTrivia();
                if (Peek != '|')
                {
                    return pipes;
                }

                _pos++;
                SkipTrivia();
                var (pl, pc) = (_line, Column);
                var start = _pos;
                while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or ':'))
                {
                    _pos++;
                }

                var name = text[start.._pos];
                if (name.Length == 0)
                {
                    throw Error(pl, pc, $"expected a pipe function after '|', found {Describe()}");
                }

                var args = new List<string>();
                SkipTrivia();
                if (Peek == '(')
                {
                    _pos++;
                    var close = text.IndexOf(')', _pos);
                    if (close < 0)
                    {
                        throw Error(pl, pc, $"missing ')' after {name}(");
                    }

                    var inner = text[_pos..close].Trim();
                    if (inner.Length > 0)
                    {
                        args.AddRange(inner.Split(',', StringSplitOptions.TrimEntries));
                    }

                    Advance(close + 1 - _pos);
                }

                var pipe = OmlPipe.TryCreate(name, args, out var problem) ?? throw Error(pl, pc, problem!);
                pipes.Add(pipe);
            }
        }

        private Value Constant(string function, string arg, int line, int col)
        {
            var type = function switch
            {
                "digit" => Wpl.WplType.Digit,
                "float" => Wpl.WplType.Float,
                "bool" => Wpl.WplType.Bool,
                "ip" => Wpl.WplType.Ip,
                "time" => Wpl.WplType.Time,
                _ => Wpl.WplType.Chars,
            };
            if (type == Wpl.WplType.Chars)
            {
                return Value.String(arg);
            }

            return Wpl.WplScan.TryConvert(type, arg.AsMemory(), out var value)
                ? value
                : throw Error(line, col, $"'{arg}' is not a valid {function} constant");
        }

        /// <summary>The raw text up to ')' (a quoted "..." may contain ')' and ';'); consumes the ')'.</summary>
        private string ReadConstantText()
        {
            SkipTrivia();
            var (line, col) = (_line, Column);
            if (Peek == '"')
            {
                var close = Wpl.WplScan.QuoteEnd(text.AsSpan(_pos + 1), out var escaped);
                if (close < 0)
                {
                    throw Error(line, col, "unterminated '\"'");
                }

                var s = escaped ? Wpl.WplScan.Unescape(text.AsSpan(_pos + 1, close)) : text.Substring(_pos + 1, close);
                Advance(close + 2);
                Expect(')');
                return s;
            }

            var end = text.IndexOfAny([')', '\n', ';'], _pos);
            if (end < 0 || text[end] != ')')
            {
                throw Error(line, col, "missing ')'");
            }

            var raw = text[_pos..end].Trim();
            Advance(end + 1 - _pos);
            return raw;
        }

        private string ReadName(string what)
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '-' or '.' or '/' or '[' or ']' or '@'))
            {
                _pos++;
            }

            if (_pos == start)
            {
                throw Error(_line, Column, $"expected {what}, found {Describe()}");
            }

            return text[start.._pos];
        }

        private void Expect(char c)
        {
            SkipTrivia();
            if (Peek != c)
            {
                throw Error(_line, Column, $"expected '{c}', found {Describe()}");
            }

            _pos++;
        }

        private void SkipTrivia()
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '\n')
                {
                    NextLine(_pos);
                }
                else if (char.IsWhiteSpace(c))
                {
                    _pos++;
                }
                else if (c == '/' && _pos + 1 < text.Length && text[_pos + 1] == '/')
                {
                    var end = text.IndexOf('\n', _pos);
                    _pos = end < 0 ? text.Length : end;
                }
                else
                {
                    return;
                }
            }
        }

        private void Advance(int n)
        {
            for (var i = 0; i < n && _pos < text.Length; i++)
            {
                if (text[_pos] == '\n')
                {
                    NextLine(_pos);
                }
                else
                {
                    _pos++;
                }
            }
        }

        private void NextLine(int newlineAt)
        {
            _pos = Math.Min(newlineAt + 1, text.Length);
            if (newlineAt < text.Length)
            {
                _line++;
                _lineStart = _pos;
            }
        }

        private char Peek => _pos < text.Length ? text[_pos] : '\0';

        private int Column => _pos - _lineStart + 1;

        private string Describe() => _pos >= text.Length ? "end of file" : text[_pos] is '\n' or '\r' ? "end of line" : $"'{text[_pos]}'";

        private ConfigException Error(int line, int? column, string message) => new(file, line, column, message);
    }
}
