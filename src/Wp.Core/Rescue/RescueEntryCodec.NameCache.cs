using System.Text;
using System.Text.Json;
using Wp.Core.Records;

namespace Wp.Core.Rescue;

// The per-thread cache that turns field-name bytes back into the same strings, for both decoders.
internal static partial class RescueEntryCodec
{
    [ThreadStatic]
    private static NameCache? t_names;

    /// <summary>
    /// Field names repeat on every line; this direct-mapped cache turns their UTF-8 bytes back
    /// into the same string instances instead of allocating one per field per line.
    /// </summary>
    private sealed class NameCache
    {
        private const int Slots = 256;
        private readonly byte[]?[] _keys = new byte[Slots][];
        private readonly string?[] _names = new string[Slots];

        public string Get(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence)
            {
                return reader.GetString()!;
            }

            return Get(reader.ValueSpan, fromReader: true, ref reader);
        }

        /// <summary>The name for unescaped ASCII bytes.</summary>
        public string Get(ReadOnlySpan<byte> ascii)
        {
            var unused = default(Utf8JsonReader);
            return Get(ascii, fromReader: false, ref unused);
        }

        // The reader decodes (and validates) its own value; plain ASCII needs no validation.
        private string Get(ReadOnlySpan<byte> utf8, bool fromReader, ref Utf8JsonReader reader)
        {
            var slot = (int)((uint)Hash(utf8) % Slots);
            var key = _keys[slot];
            if (key is not null && utf8.SequenceEqual(key))
            {
                return _names[slot]!;
            }

            var name = fromReader ? reader.GetString()! : Encoding.ASCII.GetString(utf8);
            _keys[slot] = utf8.ToArray();
            _names[slot] = name;
            return name;
        }

        private static int Hash(ReadOnlySpan<byte> utf8)
        {
            var hash = unchecked((int)2166136261);
            foreach (var b in utf8)
            {
                hash = unchecked((hash ^ b) * 16777619);
            }

            return hash;
        }
    }
}
