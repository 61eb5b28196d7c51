using Jint;
using Jint.Native;

namespace Butterfly.Scripting.Internal;

/// <summary>What a script's top-level code declared: its handlers (undefined when absent) and its schedule.</summary>
internal sealed record ScriptDeclarations(JsValue OnMessage, JsValue OnSchedule, JsValue Schedule)
{
    public bool HandlesMessage => OnMessage.IsCallable();

    public bool HandlesSchedule => OnSchedule.IsCallable();
}
