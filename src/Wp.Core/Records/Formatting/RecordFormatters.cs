using System.Diagnostics.CodeAnalysis;

namespace Wp.Core.Records.Formatting;

/// <summary>Looks up the output format named in a connector's <c>fmt</c> param (SPEC §7.1, §7.2).</summary>
internal static class RecordFormatters
{
    public const string Kv = "kv";
    public const string Json = "json";
    public const string ProtoText = "proto-text";
    public const string Raw = "raw";

    /// <summary>Every valid format name, in the order error messages list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [Kv, Json, ProtoText, Raw];

    /// <summary>
    /// The shared formatter for <paramref name="fmt"/> (case-insensitive). Throws
    /// <see cref="ArgumentException"/> naming the valid formats when the name is unknown.
    /// </summary>
    public static IRecordFormatter ForName(string fmt)
    {
        if (TryForName(fmt, out var formatter))
        {
            return formatter;
        }

        throw new ArgumentException(
            "unknown output format '" + fmt + "'; valid formats: " + string.Join(", ", Names),
            nameof(fmt));
    }

    /// <summary>Like <see cref="ForName"/> but returns false for an unknown name; does not throw.</summary>
    public static bool TryForName(string? fmt, [NotNullWhen(true)] out IRecordFormatter? formatter)
    {
        formatter = fmt?.ToLowerInvariant() switch
        {
            Kv => KvFormatter.Instance,
            Json => JsonFormatter.Instance,
            ProtoText => ProtoTextFormatter.Instance,
            Raw => RawFormatter.Instance,
            _ => null,
        };
        return formatter is not null;
    }
}
