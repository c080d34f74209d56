// Opens release files the way Protege does: with the OWL API (version 5, the parser
// stack Protege 5 is built on), default loader settings, and the directory's
// catalog-v001.xml resolving imports to local files. Run with Java 11+'s source launcher:
//   java -cp "<owlapi 5 jars>" ProtegeLoad.java FILE...
// For each file prints one line "LOADED <file> <ontology IRI> axioms=N" and then one
// line per problem Protege would show: UNPARSED (triples the OWL API could not turn into
// axioms), GUESSED (entities used without a declaration), MISSING-IMPORT, ERROR. The OWL API
// also logs what it could not parse (through SLF4J, on standard error). Each OWL 2 DL profile
// violation is a line "PROFILE <file> <violation class> <text>" (information, not a problem:
// Protege loads OWL 2 Full too). Exits 0 when no file had a problem, 1 otherwise.
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFJsonLDDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.RDFParserMetaData;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.util.SimpleIRIMapper;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class ProtegeLoad {
    public static void main(String[] args) throws Exception {
        List<String> problems = new ArrayList<>();
        for (String name : args) {
            File file = new File(name).getAbsoluteFile();
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            addCatalog(manager, new File(file.getParentFile(), "catalog-v001.xml"));
            manager.addMissingImportListener(
                event -> problems.add("MISSING-IMPORT " + name + " " + event.getImportedOntologyURI()));
            OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
            OWLOntology ontology;
            try {
                ontology = manager.loadOntologyFromOntologyDocument(source(file), config);
            } catch (Exception e) {
                problems.add("ERROR " + name + " " + e.getClass().getSimpleName() + ": "
                             + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                continue;
            }
            System.out.println("LOADED " + name + " " + ontology.getOntologyID().getOntologyIRI()
                .map(IRI::toString).orElse("(anonymous)") + " axioms=" + ontology.getAxiomCount());
            new OWL2DLProfile().checkOntology(ontology).getViolations()
                .forEach(v -> System.out.println("PROFILE " + name + " " + v.getClass().getSimpleName() + " "
                                                 + v.toString().lines().findFirst().orElse("")));
            OWLOntologyLoaderMetaData meta = manager.getOntologyFormat(ontology)
                .getOntologyLoaderMetaData().orElse(null);
            if (meta instanceof RDFParserMetaData) {
                RDFParserMetaData rdf = (RDFParserMetaData) meta;
                rdf.getUnparsedTriples().forEach(t -> problems.add("UNPARSED " + name + " " + t));
                rdf.getGuessedDeclarations().entries().forEach(
                    e -> problems.add("GUESSED " + name + " " + e.getKey() + " " + e.getValue().getSimpleName()));
            }
        }
        problems.forEach(System.out::println);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /**
     * The document, with its format named for JSON-LD: left to guess, the OWL API tries its
     * RDF/JSON parser first, which throws on any JSON-LD's "@context" key instead of
     * declining (OWL API 5.1.20), so the JSON-LD parser is never reached.
     */
    private static FileDocumentSource source(File file) {
        return file.getName().endsWith(".jsonld")
            ? new FileDocumentSource(file, new RDFJsonLDDocumentFormat())
            : new FileDocumentSource(file);
    }

    /** Protege's catalog: each {@code <uri name="IRI" uri="path"/>} maps an import to a local file. */
    private static void addCatalog(OWLOntologyManager manager, File catalog) throws Exception {
        if (!catalog.isFile()) {
            return;
        }
        NodeList entries = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(catalog).getElementsByTagName("uri");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            File target = new File(catalog.getParentFile(), entry.getAttribute("uri"));
            manager.getIRIMappers().add(
                new SimpleIRIMapper(IRI.create(entry.getAttribute("name")), IRI.create(target.toURI())));
        }
    }
}
