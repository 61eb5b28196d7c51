using System.Runtime.CompilerServices;
using Jint.Native;
using Jint.Runtime.Descriptors;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// A data property (writable, enumerable, configurable) whose value is made on first read: the parts of
/// <c>message</c> a script may never look at (its text, its lists, its attachments) cost nothing then.
/// A script sees an ordinary data property; assigning to it replaces the value as for any other.
/// </summary>
/// <remarks>
/// The value lives in the descriptor's own value field: Jint's fast path for an assignment to a writable
/// property of a plain object writes that field directly, without asking <see cref="CustomValue"/>, so a
/// value kept anywhere else would hide the assignment (MessageTests pins this).
/// </remarks>
internal sealed class LazyProperty : PropertyDescriptor
{
    private readonly Func<JsValue> _make;

    public LazyProperty(Func<JsValue> make)
        : base(PropertyFlag.CustomJsValue | PropertyFlag.ConfigurableEnumerableWritable) => _make = make;

    protected override JsValue? CustomValue
    {
        get
        {
            ref var value = ref StoredValue(this);
            return value ??= _make();
        }

        set => StoredValue(this) = value!;
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_value")]
    private static extern ref JsValue? StoredValue(PropertyDescriptor descriptor);
}
