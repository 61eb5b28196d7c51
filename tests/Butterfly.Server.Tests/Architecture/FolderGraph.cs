using System.Reflection.Emit;
using System.Reflection;

namespace Butterfly.Server.Tests.Architecture;

/// <summary>
/// Which folders of an assembly use which, read from the compiled code: every type a type names in
/// its base type, interfaces, fields, properties, signatures, locals and method bodies (each
/// instruction's type, method and field tokens). A folder is the first namespace segment under
/// the assembly's root namespace; nested and compiler-generated types (closures, state machines)
/// belong to the folder of the type that declares them.
/// </summary>
internal sealed class FolderGraph
{
    /// <summary>The name of the root namespace's own "folder" (the project's top level).</summary>
    public const string Root = "(root)";

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OperandType> _opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private readonly Assembly _assembly;
    private readonly string _rootNamespace;
    private readonly Dictionary<(string From, string To), (Type From, Type To)> _edges = [];
    private readonly HashSet<string> _folders = [];

    private FolderGraph(Assembly assembly, string rootNamespace)
    {
        _assembly = assembly;
        _rootNamespace = rootNamespace;
    }

    /// <summary>The folders that hold at least one type.</summary>
    public IReadOnlySet<string> Folders => _folders;

    /// <summary>Each dependency between two folders, with one pair of types that makes it.</summary>
    public IReadOnlyDictionary<(string From, string To), (Type From, Type To)> Edges => _edges;

    /// <summary>Reads the folder graph of <paramref name="assembly"/>, whose types live under <paramref name="rootNamespace"/>.</summary>
    public static FolderGraph Read(Assembly assembly, string rootNamespace)
    {
        var graph = new FolderGraph(assembly, rootNamespace);
        foreach (var type in assembly.GetTypes())
        {
            if (graph.FolderOf(type) is { } folder)
            {
                graph._folders.Add(folder);
                foreach (var used in graph.TypesUsedBy(type))
                {
                    if (graph.FolderOf(used) is { } target && target != folder)
                    {
                        graph._edges.TryAdd((folder, target), (type, used));
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>The folder of <paramref name="type"/>, or null for types outside the root namespace.</summary>
    public string? FolderOf(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        var ns = type.Namespace;
        if (type.Assembly != _assembly || ns is null)
        {
            return null;
        }

        if (ns == _rootNamespace)
        {
            return Root;
        }

        if (!ns.StartsWith(_rootNamespace + ".", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[(_rootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private HashSet<Type> TypesUsedBy(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !found.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var face in type.GetInterfaces())
        {
            Add(face);
        }

        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Add(local.LocalType);
            }

            foreach (var used in TokensIn(method, body.GetILAsByteArray() ?? []))
            {
                Add(used);
            }
        }

        return found;
    }

    /// <summary>The types named by the type, method and field tokens of one method body.</summary>
    private IEnumerable<Type> TokensIn(MethodBase method, byte[] il)
    {
        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }

            var operand = _opCodes[value];
            switch (operand)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    var member = module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    switch (member)
                    {
                        case Type t:
                            yield return t;
                            break;
                        case MethodBase m:
                            yield return m.DeclaringType!;
                            if (m.IsGenericMethod)
                            {
                                foreach (var argument in m.GetGenericArguments())
                                {
                                    yield return argument;
                                }
                            }

                            break;
                        case FieldInfo f:
                            yield return f.DeclaringType!;
                            yield return f.FieldType;
                            break;
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += Size(operand);
                    break;
            }
        }
    }

    private static int Size(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
