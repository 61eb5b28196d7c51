using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace Butterfly.Scripting.Internal;

/// <summary>
/// How many characters <c>JSON.stringify</c> or <c>Array.prototype.join</c> would write for a value, at least,
/// found without writing it: one walk over the object graph, each object measured once.
/// </summary>
/// <remarks>
/// Jint meters a run between statements, so one call that writes a huge string runs to its end before any
/// limit is checked; an array holding the same array twice, 26 levels deep, is a few hundred bytes and
/// 2^26 leaves. Shared objects are what make that cheap to build, so the walk memoises each object's size
/// and multiplies through sharing exactly as the output would. Getters and <c>toJSON</c> are not followed:
/// this bounds the data as it stands, which is what the cheap attacks use.
/// </remarks>
internal static class OutputEstimate
{
    // A number, boolean or null is at most this long in JSON.
    private const long ScalarLength = 24;

    /// <summary>True when the output would be longer than <paramref name="maxChars"/>.</summary>
    public static bool Exceeds(JsValue root, long maxChars)
    {
        if (root is not ObjectInstance rootObject || root.IsCallable())
        {
            return Leaf(root) > maxChars;
        }

        var sizes = new Dictionary<ObjectInstance, long>(ReferenceEqualityComparer.Instance);
        var path = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        var frames = new Stack<Frame>();
        frames.Push(Open(rootObject, path, maxChars));
        while (frames.Count > 0)
        {
            var frame = frames.Peek();
            if (frame.Total > maxChars)
            {
                return true;
            }

            if (frame.Next < frame.Children.Count)
            {
                var child = frame.Children[frame.Next++];
                if (child is ObjectInstance childObject && !child.IsCallable())
                {
                    if (sizes.TryGetValue(childObject, out var known))
                    {
                        frame.Total += known;
                    }
                    else if (!path.Contains(childObject))
                    {
                        // A cycle adds nothing: JSON throws on it and join writes it as empty.
                        frames.Push(Open(childObject, path, maxChars));
                    }
                }
                else
                {
                    frame.Total += Leaf(child);
                }

                continue;
            }

            frames.Pop();
            path.Remove(frame.Object);
            sizes[frame.Object] = frame.Total;
            if (frames.Count > 0)
            {
                frames.Peek().Total += frame.Total;
            }
            else
            {
                return frame.Total > maxChars;
            }
        }

        return false;
    }

    private static long Leaf(JsValue value) => value.IsString() ? value.AsString().Length + 2 : ScalarLength;

    private static Frame Open(ObjectInstance obj, HashSet<ObjectInstance> path, long maxChars)
    {
        path.Add(obj);
        var frame = new Frame(obj) { Total = 2 };
        if (obj.IsArray())
        {
            var length = obj.AsArray().Length;
            // Every element costs at least its separator: a long sparse array is long output.
            frame.Total += length;
            if (length <= maxChars)
            {
                for (uint i = 0; i < length; i++)
                {
                    if (obj.AsArray().TryGetValue(i, out var item))
                    {
                        frame.Children.Add(item);
                    }
                }
            }

            return frame;
        }

        foreach (var key in obj.GetOwnPropertyKeys(Types.String))
        {
            var descriptor = obj.GetOwnProperty(key);
            if (descriptor.Enumerable && descriptor.IsDataDescriptor())
            {
                frame.Total += key.AsString().Length + 4;
                frame.Children.Add(descriptor.Value);
            }
        }

        return frame;
    }

    private sealed class Frame(ObjectInstance obj)
    {
        public ObjectInstance Object { get; } = obj;

        public List<JsValue> Children { get; } = [];

        public int Next { get; set; }

        public long Total { get; set; }
    }
}
