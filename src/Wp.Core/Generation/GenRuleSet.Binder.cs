using Wp.Core.Records;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Wp.Core.Config;
using Wp.Core.Wpl;

namespace Wp.Core.Generation;

// GenRuleSet.Binder: binding gen_field.toml settings to a rule's fields is a job of its own, so it has its own file.
internal sealed partial class GenRuleSet
{
    /// <summary>Builds the slots of one rule, binding gen_field.toml settings; every problem is collected.</summary>
    private sealed class Binder(ConfigProblems problems)
    {
        private static readonly System.Buffers.SearchValues<char> Ipv6Chars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF:.");

        private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
        private GenFieldFile _settings = GenFieldFile.Empty("");

        public RuleLineWriter? Bind(WplRule rule, GenFieldFile settings)
        {
            _settings = settings;
            var before = problems.Count;
            var fields = rule.Fields;
            var slots = new List<FieldSlot>(fields.Count);
            var forced = new List<(int Slot, GenFieldSetting Setting)>();
            for (var i = 0; i < fields.Count; i++)
            {
                var field = fields[i];
                var isLast = i == fields.Count - 1;
                CheckShape(rule, field, isLast);
                var previous = i > 0 ? fields[i - 1].Spec : null;
                var followsPairs = previous is { Begin: null } && (previous.Type == WplType.Kvarr || (previous.Type == WplType.Kv && previous.Subfields.Count > 0));
                var value = FieldValue(field, followsPairs);
                if (value is ChoiceWriter && Setting(field.Spec.EffectiveName) is { } setting)
                {
                    forced.Add((i, setting));
                }

                slots.Add(new FieldSlot(field, value, isLast));
            }

            if (problems.Count > before)
            {
                return null;
            }

            var writer = new RuleLineWriter(rule, slots);
            foreach (var (slot, setting) in forced)
            {
                CheckChoicesParseBack(writer, slot, setting);
            }

            return writer;
        }

        private void CheckShape(WplRule rule, FieldMatcher field, bool isLast)
        {
            var spec = field.Spec;
            if (isLast || spec.Begin is not null)
            {
                return;
            }

            if (spec.Type == WplType.HttpAgent)
            {
                Report(rule.File, spec.Line, spec.Column,
                    $"rule {rule.Path}: an unenclosed http/agent takes the rest of the line, so no field can follow it; enclose it (http/agent\") or make it the last field");
            }
            else if (field.Separator.Kind == WplSeparatorKind.RestOfLine && spec.Type is WplType.Chars or WplType.Ignore or WplType.Kv)
            {
                Report(rule.File, spec.Line, spec.Column,
                    $"rule {rule.Path}: '{spec.TypeName}\\0' takes the rest of the line, so no field can follow it; enclose it or make it the last field");
            }
        }

        private GenFieldSetting? Setting(string name)
        {
            if (!_settings.Fields.TryGetValue(name, out var setting))
            {
                return null;
            }

            setting.Used = true;
            return setting;
        }

        private ValueWriter FieldValue(FieldMatcher field, bool followsPairs)
        {
            var spec = field.Spec;
            var scope = ValueScope.For(field);
            var name = spec.EffectiveName;
            switch (spec.Type)
            {
                case WplType.Symbol:
                    if (Setting(name) is { } s)
                    {
                        Problem(s, s.Line, s.Column, $"fields.{name}: symbol fields are literal; range, choices and prefix do not apply");
                    }

                    return new SymbolWriter(spec.SymbolText!);
                case WplType.Kv when spec.Subfields.Count == 0:
                    return KvField(spec, scope);
                case WplType.Kv or WplType.Kvarr:
                    return (ValueWriter?)WholeChoices(spec, scope) ?? Pairs(field, scope);
                case WplType.Json:
                    return (ValueWriter?)WholeChoices(spec, scope) ?? new JsonWriter(spec.Subfields.Select(JsonEntry).ToList());
                default:
                    var allowV6 = !followsPairs && scope.Separator is not (':' or '.') &&
                        !(scope.End is { } end && end.AsSpan().ContainsAny(Ipv6Chars));
                    return Typed(spec.Type, spec.TypeName, name, scope, allowV6);
            }
        }

        /// <summary>
        /// <c>kv</c>: <c>kv:NAME</c> writes <c>NAME=value</c> and its choices/prefix are values; an unnamed kv
        /// writes a random key, and its choices are whole <c>key=value</c> pairs.
        /// </summary>
        private ValueWriter KvField(WplFieldSpec spec, ValueScope scope)
        {
            var key = spec.Name is { } n && n.All(WplParser.IsKeyChar) ? n : null;
            var valueScope = scope.ForKvValue();
            var setting = Setting(spec.EffectiveName);
            switch (setting)
            {
                case { Choices: { } choices }:
                    var chosen = Choices(setting, choices, c => RenderPair(key, c, valueScope), scope, key is null ? "kv pair (key=value)" : "kv value");
                    if (chosen is not null)
                    {
                        return chosen;
                    }

                    break;
                case { Prefix: { } prefix } when valueScope.Render(prefix + "x") is null:
                    Problem(setting, setting.PrefixLine, setting.PrefixColumn, $"fields.{setting.Name}.prefix: '{prefix}' contains the enclosure closer '{scope.End}'");
                    break;
                case { Prefix: { } prefix }:
                    return new KvWriter(key, new CharsWriter(valueScope, ignore: false, prefix));
                case { Range: { } range }:
                    Problem(setting, range.Line, range.Column, $"fields.{setting.Name}.range applies to digit, float, http/status, time, time/clf and ip, not kv");
                    break;
            }

            return new KvWriter(key, new CharsWriter(valueScope, ignore: false, prefix: null, numbers: true));
        }

        private static string? RenderPair(string? key, string choice, ValueScope valueScope)
        {
            if (key is not null)
            {
                return valueScope.Render(choice) is { } value ? key + "=" + value : null;
            }

            var keyEnd = KvMatcher.KeyEnd(choice, 0, choice.Length);
            return keyEnd < 0 ? null : valueScope.Render(choice[(keyEnd + 1)..]) is { } v ? choice[..(keyEnd + 1)] + v : null;
        }

        /// <summary>Choices for a whole kv(...)/kvarr/json field: literal field text, checked by parsing it back.</summary>
        private ChoiceWriter? WholeChoices(WplFieldSpec spec, ValueScope scope)
        {
            if (Setting(spec.EffectiveName) is not { } setting)
            {
                return null;
            }

            if (setting.Choices is { } choices)
            {
                return Choices(setting, choices, c => c, scope, spec.TypeName);
            }

            Problem(setting, setting.Line, setting.Column,
                $"fields.{setting.Name}: a {spec.TypeName} field takes only choices (literal field text); set ranges on its subfields");
            return null;
        }

        private PairsWriter Pairs(FieldMatcher field, ValueScope scope)
        {
            var spec = field.Spec;
            var entries = spec.Subfields.Select(sub => new GenEntry(sub.Key, Typed(sub.Type, sub.TypeName, sub.EffectiveName, ValueScope.Free, allowV6: true), false)).ToList();
            var sep = field.Separator;
            var gap = spec.Begin is null && sep.Kind == WplSeparatorKind.Char && !sep.IsWhitespace ? sep.Char : ' ';
            char? separator = spec.Begin is null && sep.Kind == WplSeparatorKind.Char ? sep.Char : null;
            var (min, max) = spec.Type == WplType.Kvarr ? (entries.Count == 0 ? 1 : 0, entries.Count == 0 ? 4 : 2) : (0, 1);
            return new PairsWriter(entries, min, max, gap, separator, scope.End);
        }

        private GenEntry JsonEntry(WplSubfieldSpec sub)
        {
            var value = Typed(sub.Type, sub.TypeName, sub.EffectiveName, ValueScope.Free, allowV6: true);
            var bare = sub.Type is WplType.Digit or WplType.Float or WplType.HttpStatus || (sub.Type == WplType.Bool && value is BoolWriter);
            return new GenEntry(sub.Key, value, bare);
        }

        /// <summary>A value of a scalar or text type, honouring the field's setting.</summary>
        private ValueWriter Typed(WplType type, string typeName, string name, ValueScope scope, bool allowV6)
        {
            var setting = Setting(name);
            if (setting?.Choices is { } choices)
            {
                var render = type is WplType.Chars or WplType.Ignore ? scope.Render : (Func<string, string?>)(c => c);
                if (Choices(setting, choices, render, scope, typeName, type) is { } chosen)
                {
                    return chosen;
                }
            }
            else if (setting?.Range is { } range)
            {
                if (RangeWriter(type, typeName, setting, range, allowV6) is { } ranged)
                {
                    return ranged;
                }
            }
            else if (setting?.Prefix is { } prefix)
            {
                if (PrefixWriter(type, typeName, setting, prefix, scope) is { } prefixed)
                {
                    return prefixed;
                }
            }

            return type switch
            {
                WplType.Digit => new DigitWriter(0, 65535),
                WplType.Float => new FloatWriter(0, 1000),
                WplType.Bool => new BoolWriter(),
                WplType.Sn => new SnWriter(scope, null),
                WplType.Ip => new IpWriter(allowV6),
                WplType.Time => new TimeWriter(TimeWriter.DefaultLow, TimeWriter.DefaultHigh, clf: false),
                WplType.TimeClf => new TimeWriter(TimeWriter.DefaultLow, TimeWriter.DefaultHigh, clf: true),
                WplType.HttpRequest => new HttpRequestWriter(),
                WplType.HttpStatus => new HttpStatusWriter(null, null),
                WplType.HttpAgent => new HttpAgentWriter(),
                _ => new CharsWriter(scope, ignore: type == WplType.Ignore, prefix: null),
            };
        }

        private ValueWriter? PrefixWriter(WplType type, string typeName, GenFieldSetting setting, string prefix, ValueScope scope)
        {
            switch (type)
            {
                case WplType.Sn when WplScan.Sn(prefix) != prefix.Length:
                    Problem(setting, setting.PrefixLine, setting.PrefixColumn, $"fields.{setting.Name}.prefix: '{prefix}' has chars an sn cannot hold (A-Z, a-z, 0-9, '-')");
                    return null;
                case WplType.Sn:
                    return new SnWriter(scope, prefix);
                case WplType.Chars or WplType.Ignore when scope.Render(prefix + "x") is null:
                    Problem(setting, setting.PrefixLine, setting.PrefixColumn, $"fields.{setting.Name}.prefix: '{prefix}' contains the enclosure closer '{scope.End}'");
                    return null;
                case WplType.Chars or WplType.Ignore:
                    return new CharsWriter(scope, type == WplType.Ignore, prefix);
                default:
                    Problem(setting, setting.PrefixLine, setting.PrefixColumn, $"fields.{setting.Name}.prefix applies to chars, _, sn and kv values, not {typeName}");
                    return null;
            }
        }

        private ValueWriter? RangeWriter(WplType type, string typeName, GenFieldSetting setting, GenRange range, bool allowV6)
        {
            var at = $"fields.{setting.Name}.range";
            switch (type)
            {
                case WplType.Digit or WplType.HttpStatus:
                    var (min, max) = type == WplType.HttpStatus ? (100L, 999L) : (long.MinValue, long.MaxValue);
                    if (range is not { Low.Value: long lo, High.Value: long hi } || lo > hi || lo < min || hi > max)
                    {
                        var within = type == WplType.HttpStatus ? " within 100..999" : "";
                        return RangeProblem(setting, range, $"{at}: a {typeName} range is two integers [LOW, HIGH] with LOW <= HIGH{within}");
                    }

                    return type == WplType.Digit ? new DigitWriter(lo, hi) : new HttpStatusWriter(lo, hi);
                case WplType.Float:
                    if (range is not { Low.Value: long or double, High.Value: long or double } ||
                        Number(range.Low) is var flo && Number(range.High) is var fhi && (!(flo <= fhi) || double.IsInfinity(fhi - flo)))
                    {
                        return RangeProblem(setting, range, $"{at}: a float range is two finite numbers [LOW, HIGH] with LOW <= HIGH");
                    }

                    return new FloatWriter(flo, fhi);
                case WplType.Time or WplType.TimeClf:
                    if (Time(range.Low) is not { } tlo || Time(range.High) is not { } thi || tlo > thi || tlo.Year < 1000 || thi.Year > 9999)
                    {
                        return RangeProblem(setting, range,
                            $"{at}: a {typeName} range is two date-times [LOW, HIGH] (e.g. [2024-01-01T00:00:00, 2024-01-31T23:59:59] or \"2024-01-01 00:00:00\") with LOW <= HIGH");
                    }

                    return new TimeWriter(tlo, thi, clf: type == WplType.TimeClf);
                case WplType.Ip:
                    if (Ipv4(range.Low) is not { } ilo || Ipv4(range.High) is not { } ihi || ilo > ihi)
                    {
                        return RangeProblem(setting, range, $"{at}: an ip range is two IPv4 addresses [\"LOW\", \"HIGH\"] with LOW <= HIGH");
                    }

                    return new IpWriter(allowV6, ilo, ihi);
                default:
                    return RangeProblem(setting, range, $"{at} applies to digit, float, http/status, time, time/clf and ip, not {typeName}");
            }
        }

        private ValueWriter? RangeProblem(GenFieldSetting setting, GenRange range, string message)
        {
            Problem(setting, range.Line, range.Column, message);
            return null;
        }

        private static double Number(TomlScalarNode node) => node.Value switch
        {
            long l => l,
            double d => d,
            _ => double.NaN,
        };

        private static DateTime? Time(TomlScalarNode node)
        {
            switch (node.Value)
            {
                case Tomlyn.TomlDateTime t:
                    return DateTime.SpecifyKind(t.DateTime.DateTime, DateTimeKind.Unspecified);
                case string s when WplScan.Time(s, out var value) == s.Length && s.Length > 0:
                    return value;
                default:
                    return null;
            }
        }

        private static uint? Ipv4(TomlScalarNode node)
        {
            if (node.Value is not string s || !IPAddress.TryParse(s, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork ||
                s.Split('.').Length != 4)
            {
                return null;
            }

            var bytes = ip.GetAddressBytes();
            return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        }

        /// <summary>Renders each choice for the scope; a choice that is not a value of the type, or cannot be written here, is a problem.</summary>
        private ChoiceWriter? Choices(GenFieldSetting setting, IReadOnlyList<GenChoice> choices, Func<string, string?> render, ValueScope scope, string typeName, WplType? type = null)
        {
            var rendered = new List<string>(choices.Count);
            foreach (var choice in choices)
            {
                var at = $"fields.{setting.Name}.choices";
                if (type is { } t && !IsValue(t, choice.Text))
                {
                    Problem(setting, choice.Line, choice.Column, $"{at}: '{choice.Text}' is not a {typeName} value");
                    continue;
                }

                var text = render(choice.Text);
                if (text is null || (scope.End is { } end && text.Contains(end, StringComparison.Ordinal)))
                {
                    var why = scope.End is not null && choice.Text.Contains(scope.End, StringComparison.Ordinal)
                        ? $"cannot be written inside the enclosure: it contains '{scope.End}'"
                        : $"is not a {typeName}";
                    Problem(setting, choice.Line, choice.Column, $"{at}: '{choice.Text}' {why}");
                    continue;
                }

                rendered.Add(text);
            }

            return rendered.Count == choices.Count ? new ChoiceWriter(rendered) : null;
        }

        private static bool IsValue(WplType type, string text)
        {
            if (type is WplType.Chars or WplType.Ignore)
            {
                return true;
            }

            var s = text.AsSpan();
            if (s.Length == 0 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]))
            {
                return false;
            }

            return type switch
            {
                WplType.HttpRequest => WplScan.HttpRequest(s, out _) == s.Length,
                WplType.HttpAgent => WplScan.LooksLikeAgent(s),
                _ => WplScan.TryConvert(type, text.AsMemory(), out _),
            };
        }

        /// <summary>Writes a line with each choice of a field in turn and parses it back.</summary>
        private void CheckChoicesParseBack(RuleLineWriter writer, int slot, GenFieldSetting setting)
        {
            var count = ((ChoiceWriter)writer.Slots[slot].Value).Count;
            var rng = new GenRandom(SelfCheckSeed);
            using var buf = new TextBuffer();
            for (var k = 0; k < count; k++)
            {
                buf.Clear();
                writer.Write(rng, buf, slot, k);
                var line = buf.ToString();
                if (!writer.ParsesBack(line, out var reason))
                {
                    var choice = setting.Choices![k];
                    Problem(setting, choice.Line, choice.Column,
                        $"fields.{setting.Name}.choices: '{choice.Text}' does not read back in rule {writer.Rule.Path} ({reason}): {Clip(line)}");
                }
            }
        }

        private void Problem(GenFieldSetting setting, int line, int column, string message) => Report(setting.File, line, column, message);

        private void Report(string file, int line, int column, string message)
        {
            // A name shared by several fields would otherwise report the same problem once per field.
            if (_reported.Add($"{file}:{line}:{column}:{message}"))
            {
                problems.Add(file, line, column, message);
            }
        }
    }
}
