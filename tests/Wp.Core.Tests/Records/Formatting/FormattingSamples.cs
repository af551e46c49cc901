using Wp.Core.Records;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Records.Formatting;

/// <summary>Records shared by the formatter tests, and a helper that formats one to a string.</summary>
internal static class FormattingSamples
{
    /// <summary>Quotes, backslash, newline, CR, tab, a C0 control, accented, CJK and an astral emoji.</summary>
    public const string Tricky = "he said \"hi\" \\ ok\nnext\r\tend \u0001 é 中 😀";

    public static string Format(IRecordFormatter formatter, Record record)
    {
        using var buffer = new TextBuffer(16);
        formatter.Format(record, buffer);
        return buffer.ToString();
    }

    /// <summary>One field of every printable kind, in a fixed order.</summary>
    public static Record EveryKind()
    {
        var record = new Record();
        record.Add("s", Value.String("a b"));
        record.Add("i", Value.Int(-42));
        record.Add("f", Value.Float(1.5));
        record.Add("b", Value.Bool(true));
        record.Add("ip", Value.Ip("::1"));
        record.Add("t", Value.DateTime(new DateTime(2024, 1, 2, 3, 4, 5, 678)));
        return record;
    }

    /// <summary>Visible fields a, b, c with hidden ones (underscore names, ignore kind) between them.</summary>
    public static Record WithHiddenFields()
    {
        var record = new Record();
        record.Add("_skip", Value.String("secret"));
        record.Add("a", Value.Int(1));
        record.Add("ignored", Value.Ignore);
        record.Add("b", Value.Int(2));
        record.Add("_", Value.Int(99));
        record.Add("c", Value.Int(3));
        record.Add("_tail", Value.Bool(false));
        return record;
    }

    /// <summary>A record shaped like the output of the nginx rule of the usecase.</summary>
    public static Record Nginx()
    {
        // Text values are slices of one line, as the parser produces them.
        const string Line = "192.168.1.2 GET /nginx-logo.png HTTP/1.1";
        var record = new Record();
        record.Add("sip", Value.Ip(Line.AsMemory(0, 11)));
        record.Add("time_clf", Value.DateTime(new DateTime(2019, 8, 6, 12, 12, 19)));
        record.Add("http_request", Value.String(Line.AsMemory(12)));
        record.Add("http_status", Value.Int(200));
        record.Add("digit", Value.Int(368));
        record.Add("chars", Value.String("http://119.122.1.4/"));
        record.Add("http_agent", Value.String(NginxAgent));
        record.Add("wp_src_key", Value.String("file_src"));
        return record;
    }

    public const string NginxAgent =
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/72.0.3626.121 Safari/537.36";

    public static Record Single(string name, Value value)
    {
        var record = new Record();
        record.Add(name, value);
        return record;
    }
}
