using CsCheck;
using Wp.Core.Records;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Support;

/// <summary>CsCheck generators for records of every value kind with awkward text.</summary>
internal static class RescueRecordGen
{
    private static readonly string[] Awkward =
    [
        "\"", "\\", "\n", "\r", "\t", "\0", "\u0001", "\u001f", "\u007f", "\u2028", "\u2029",
        "😀", "𝄞", "é", "中文", "\ufeff", "\ufffd", "<>&'", "/", "{\"v\":1}", " ", ",",
    ];

    /// <summary>Any Unicode scalar value (surrogate pairs included, lone surrogates excluded).</summary>
    private static readonly Gen<string> ScalarText =
        Gen.Int[0, 0x10FFFF].Where(c => c is < 0xD800 or > 0xDFFF).Select(char.ConvertFromUtf32);

    /// <summary>Strings mixing ASCII, any scalar, and the characters JSON must escape.</summary>
    public static readonly Gen<string> AnyText =
        Gen.Frequency(
                (4, Gen.Char['a', 'z'].Select(c => c.ToString())),
                (2, ScalarText),
                (2, Gen.OneOf(Awkward)))
            .Array[0, 12]
            .Select(parts => string.Concat(parts));

    public static readonly Gen<double> AnyDouble =
        Gen.Frequency(
            (6, Gen.Double),
            (1, Gen.OneOf(
                double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0,
                double.Epsilon, double.MaxValue, double.MinValue, 0.1, 1e-300,
                BitConverter.Int64BitsToDouble(0x7FF0000000000001), BitConverter.Int64BitsToDouble(0x7FF8000000000000))));

    public static readonly Gen<Value> AnyValue =
        Gen.OneOf(
            AnyText.Select(s => Value.String(s)),
            Gen.Long.Select(Value.Int),
            AnyDouble.Select(Value.Float),
            Gen.Bool.Select(Value.Bool),
            Gen.OneOf("10.0.0.1", "::1", "fe80::1%eth0", "255.255.255.255").Select(s => Value.Ip(s)),
            Gen.DateTime.Select(Value.DateTime),
            Gen.Const(Value.Ignore));

    public static readonly Gen<Record> AnyRecord =
        Gen.Frequency(
            (1, AnyText.Select(Record.FromRaw)),
            (6, Gen.Select(AnyText, AnyValue).Array[0, 10].Select(fields =>
            {
                var record = new Record(fields.Length);
                foreach (var (name, value) in fields)
                {
                    record.Add(name, value);
                }

                return record;
            })));
}
