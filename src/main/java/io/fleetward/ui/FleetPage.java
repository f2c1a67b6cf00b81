package io.fleetward.ui;

import io.fleetward.reconcile.FleetControl;
import io.fleetward.reconcile.SourceView;
import io.quarkus.qute.TemplateData;

/** What the fleet page shows above the grid: the source, its last fetch, and the fleet-wide pause. */
@TemplateData
@TemplateData(target = SourceView.class)
@TemplateData(target = SourceView.Stalled.class)
@TemplateData(target = FleetControl.class)
@TemplateData(target = io.fleetward.fleet.InventoryProblem.class)
public record FleetPage(SourceView source, String revision, FleetControl control, FleetGrid grid, GridFilter filter) {

    /** The first 12 characters of a revision, or "none". */
    public static String shortRevision(String revision) {
        return revision == null ? "none" : revision.substring(0, Math.min(12, revision.length()));
    }
}
