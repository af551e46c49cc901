using System.Buffers;
using System.Runtime.CompilerServices;
using Wp.Core.Records;

namespace Wp.Core.Tests.Records;

/// <summary>Text values keep their slice in the bits beside the backing object (24-byte values); every backing gives the same value.</summary>
public class ValueTests
{
    [Fact]
    public void A_value_is_24_bytes_and_a_field_32() =>
        (Unsafe.SizeOf<Value>(), Unsafe.SizeOf<Field>()).Should().Be((24, 32), "got {0}, {1}", Unsafe.SizeOf<Value>(), Unsafe.SizeOf<Field>());

    [Fact]
    public void Slices_of_strings_arrays_and_memory_managers_are_the_same_text()
    {
        const string line = "GET /index.html 200";
        var fromString = Value.String(line.AsMemory(4, 11));
        var fromArray = Value.String(new ReadOnlyMemory<char>(line.ToCharArray(), 4, 11));
        using var owner = new CharMemory("xx/index.htmlyy");
        var fromManager = Value.String(owner.Memory.Slice(2, 11));
        var whole = Value.String("/index.html");

        foreach (var value in new[] { fromString, fromArray, fromManager, whole })
        {
            value.Text.ToString().Should().Be("/index.html");
            value.TextMemory.ToString().Should().Be("/index.html");
            value.ToString().Should().Be("/index.html");
            value.Should().Be(fromString);
            value.GetHashCode().Should().Be(fromString.GetHashCode());
            (value.AsInt, value.AsBool, value.AsFloat).Should().Be((0L, false, 0.0));
        }

        ReferenceEquals(whole.ToString(), "/index.html").Should().BeTrue("a whole string is returned as it is");
        Value.Ip(line.AsMemory(0, 3)).Should().NotBe(Value.String(line.AsMemory(0, 3)), "the kind counts");
    }

    [Fact]
    public void Empty_and_default_text_and_numbers_keep_their_meaning()
    {
        Value.String(ReadOnlyMemory<char>.Empty).Text.IsEmpty.Should().BeTrue();
        Value.String(string.Empty).Should().Be(Value.String(ReadOnlyMemory<char>.Empty));
        Value.String(string.Empty).GetHashCode().Should().Be(Value.String(ReadOnlyMemory<char>.Empty).GetHashCode());
        Value.Int(long.MinValue).AsInt.Should().Be(long.MinValue);
        Value.Int(7).Text.IsEmpty.Should().BeTrue();
        Value.Int(7).Should().NotBe(Value.Int(8));
        Value.Float(-1.5).AsFloat.Should().Be(-1.5);
        var offset = Value.DateTime(new DateTime(2024, 7, 22, 9, 58, 26), TimeSpan.FromHours(8));
        (offset.Offset, offset.AsUtcDateTime).Should().Be((TimeSpan.FromHours(8), new DateTime(2024, 7, 22, 1, 58, 26, DateTimeKind.Utc)));
        Value.Ignore.Kind.Should().Be(ValueKind.Ignore);
    }

    private sealed class CharMemory(string text) : MemoryManager<char>
    {
        private readonly char[] _chars = text.ToCharArray();

        public override Span<char> GetSpan() => _chars;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    [Fact]
    public void Detached_copies_text_out_of_a_char_array_and_keeps_everything_else()
    {
        var chars = "10.0.0.1 GET".ToCharArray();
        var ip = Value.Ip(chars, 0, 8).Detached();
        var text = Value.String(chars, 9, 3).Detached();
        Array.Fill(chars, 'x'); // the lease reuses its array

        ip.Kind.Should().Be(ValueKind.Ip);
        ip.ToString().Should().Be("10.0.0.1");
        text.ToString().Should().Be("GET");
        var owned = Value.String("kept");
        owned.Detached().TextMemory.Equals(owned.TextMemory).Should().BeTrue("a string is not copied");
        Value.Int(5).Detached().Should().Be(Value.Int(5));
    }
}
