using System.Reflection;
using Wp.Core.Records;
using Wp.Core.Wpl;

namespace Wp.Core.Tests.Support;

/// <summary>
/// A field matcher with a bug: every parse throws. <see cref="InjectInto"/> swaps it for the first field
/// of a compiled rule (rules are built from WPL text only, so the swap goes through the rule's private
/// fields; a rename there fails these tests loudly, never silently).
/// </summary>
internal sealed class ThrowingMatcher(FieldMatcher replaced) : FieldMatcher(replaced.Spec, replaced.Separator, replaced.EndsGroup)
{
    public const string Message = "injected matcher bug";

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public override int Parse(char[] line, int pos, int end, bool enclosed, List<Field> output)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException(Message);
    }

    /// <summary>Replaces the first field matcher of <paramref name="rule"/> with a throwing one.</summary>
    public static ThrowingMatcher InjectInto(WplRule rule)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var sequence = typeof(WplRule).GetField("_sequence", Private)!.GetValue(rule)!;
        var fields = (FieldMatcher[])typeof(WplSequence).GetField("_fields", Private)!.GetValue(sequence)!;
        var matcher = new ThrowingMatcher(fields[0]);
        fields[0] = matcher;
        return matcher;
    }
}
