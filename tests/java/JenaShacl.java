// Validates data files against a shapes file with Apache Jena's SHACL engine (an
// implementation independent of pySHACL and of ours). Run with Java 11+'s source launcher:
//   java -cp "<jena jars>" JenaShacl.java SHAPES DATA...
// Prints, for each data file, "CONFORMS <file> true|false" and one tab-separated line
// per result: RESULT, file, focus node, constraint component, path ("-" if none), severity.
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.path.P_Link;
import org.apache.jena.sparql.path.Path;

public class JenaShacl {
    public static void main(String[] args) {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i < args.length; i++) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            System.out.println("CONFORMS " + args[i] + " " + report.conforms());
            for (ReportEntry entry : report.getEntries()) {
                System.out.println(String.join("\t", "RESULT", args[i], text(entry.focusNode()),
                    text(entry.sourceConstraintComponent()), path(entry.resultPath()),
                    entry.severity().level().getLocalName()));
            }
        }
    }

    private static String path(Path path) {
        if (path == null) {
            return "-";
        }
        return path instanceof P_Link ? text(((P_Link) path).getNode()) : path.toString();
    }

    private static String text(Node node) {
        return node.isURI() ? node.getURI() : node.toString();
    }
}
