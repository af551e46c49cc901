using Wp.Core.Records;
using Record = Wp.Core.Records.Record;
using Wp.Core.Records.Formatting;
using static Wp.Core.Tests.Records.Formatting.FormattingSamples;

namespace Wp.Core.Tests.Records.Formatting;

public sealed class RecordFormattersTests
{
    [Theory]
    [InlineData("kv", typeof(KvFormatter))]
    [InlineData("json", typeof(JsonFormatter))]
    [InlineData("proto-text", typeof(ProtoTextFormatter))]
    [InlineData("raw", typeof(RawFormatter))]
    [InlineData("JSON", typeof(JsonFormatter))]
    public void Each_format_name_gives_its_formatter(string name, Type expected)
    {
        RecordFormatters.ForName(name).Should().BeOfType(expected);
    }

    [Fact]
    public void The_same_shared_instance_is_returned_every_time()
    {
        RecordFormatters.ForName("kv").Should().BeSameAs(RecordFormatters.ForName("kv"));
    }

    [Fact]
    public void An_unknown_name_throws_an_argument_exception_listing_the_valid_names()
    {
        var act = () => RecordFormatters.ForName("xml");

        act.Should().Throw<ArgumentException>()
            .WithMessage("*'xml'*kv, json, proto-text, raw*")
            .Which.ParamName.Should().Be("fmt");
    }

    [Fact]
    public void TryForName_returns_false_for_an_unknown_or_missing_name()
    {
        RecordFormatters.TryForName("proto", out _).Should().BeFalse();
        RecordFormatters.TryForName(null, out _).Should().BeFalse();
        RecordFormatters.TryForName("raw", out var raw).Should().BeTrue();
        raw.Should().BeSameAs(RawFormatter.Instance);
    }

    [Theory]
    [InlineData("kv")]
    [InlineData("json")]
    [InlineData("proto-text")]
    [InlineData("raw")]
    public void Formatting_a_record_allocates_nothing(string name)
    {
        var formatter = RecordFormatters.ForName(name);
        var record = Nginx();
        record.Add("f", Value.Float(0.1));
        record.Add("b", Value.Bool(true));
        record.Add("_hidden", Value.Int(1));
        record.Add("esc", Value.String(Tricky));
        using var buffer = new TextBuffer(64 * 1024);
        formatter.Format(record, buffer); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            buffer.Clear();
            formatter.Format(record, buffer);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
    }

    [Theory]
    [InlineData("kv")]
    [InlineData("json")]
    [InlineData("proto-text")]
    [InlineData("raw")]
    public void A_shared_formatter_gives_the_same_output_on_many_threads_at_once(string name)
    {
        var formatter = RecordFormatters.ForName(name);
        var expected = Format(formatter, Nginx());

        var outputs = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, _ =>
        {
            var record = Nginx();
            for (var i = 0; i < 200; i++)
            {
                outputs.Add(Format(formatter, record));
            }
        });

        outputs.Should().HaveCount(1600).And.OnlyContain(s => s == expected);
    }
}
