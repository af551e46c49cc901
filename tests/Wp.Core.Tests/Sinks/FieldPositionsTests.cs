using Wp.Core.Records;
using Wp.Core.Sinks.Database;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks;

/// <summary>The column → field lookup the database encoders reuse while records keep one shape.</summary>
public sealed class FieldPositionsTests
{
    private static readonly string[] Columns = ["b", "a", "missing"];

    [Fact]
    public void Positions_follow_the_record_when_its_shape_changes_and_agree_with_IndexOf()
    {
        var lookup = new FieldPositions();
        var shapes = new[]
        {
            Make("a", "b"),
            Make("a", "b"), // same names: reused
            Make("b", "a", "c"), // other order
            Make(), // no fields at all
            Make("a", "a", "b"), // a duplicate name: the first one counts, as IndexOf says
            Make("x"),
            Make("a", "b"),
        };

        foreach (var record in shapes)
        {
            lookup.Of(record, Columns).ToArray().Should().Equal(Columns.Select(record.IndexOf), because: record.ToString());
        }
    }

    [Fact]
    public void Equal_names_in_other_string_instances_are_found_too()
    {
        var lookup = new FieldPositions();
        lookup.Of(Make("a", "b"), Columns).ToArray().Should().Equal(1, 0, -1);

        // Same text, other strings (a rescue file's decoder makes its own): looked up again, same answer.
        var copy = Make(new string("a".AsSpan()), new string("b".AsSpan()));
        lookup.Of(copy, Columns).ToArray().Should().Equal(1, 0, -1);
    }

    [Fact]
    public void Another_column_list_starts_afresh()
    {
        var lookup = new FieldPositions();
        var record = Make("a", "b");
        lookup.Of(record, Columns).ToArray().Should().Equal(1, 0, -1);
        lookup.Of(record, ["a"]).ToArray().Should().Equal(0);
    }

    private static Record Make(params string[] names)
    {
        var record = new Record();
        foreach (var name in names)
        {
            record.Add(name, Value.Int(1));
        }

        return record;
    }
}
