"""Spanish and English texts of the drawing, the widgets and ``autograd-lab doctor`` (keys "viz.*")."""

from __future__ import annotations

from ..i18n import register

register(
    {
        # graph labels
        "viz.value": {"es": "valor", "en": "value"},
        "viz.grad": {"es": "grad", "en": "grad"},
        "viz.saved": {"es": "guardado", "en": "saved"},
        "viz.freed": {"es": "liberados tras backward", "en": "freed after backward"},
        "viz.output": {"es": "salida", "en": "output"},
        "viz.graph_repr": {"es": "<grafo de autograd_lab: {description}>", "en": "<autograd_lab graph: {description}>"},
        "viz.node_count": {"es": "{count} figuras", "en": "{count} shapes"},
        "viz.fit": {"es": "ver completo", "en": "see it whole"},
        "viz.actual_size": {"es": "tamaño legible", "en": "readable size"},
        "viz.fit_tooltip": {
            "es": "encoger el grafo al ancho de la celda (o volver al tamaño legible, con desplazamiento)",
            "en": "shrink the graph to the cell's width (or back to the readable size, scrolling)",
        },
        "viz.summary": {
            "es": "media {mean}, de {low} a {high}",
            "en": "mean {mean}, from {low} to {high}",
        },
        "viz.group_ops": {"es": "{count} operaciones", "en": "{count} operations"},
        "viz.group_op": {"es": "1 operación", "en": "1 operation"},
        "viz.more_ops": {"es": "… {count} operaciones más", "en": "… {count} more operations"},
        "viz.more_nodes": {"es": "… {count} nodos más", "en": "… {count} more nodes"},
        "viz.no_graph": {
            "es": "sin grafo: este tensor no requiere gradiente",
            "en": "no graph: this tensor does not require grad",
        },
        "viz.no_dot": {
            "es": "No se encontró el programa 'dot' de graphviz; el grafo se muestra como texto DOT. "
            "Instálalo con: {command}",
            "en": "graphviz's 'dot' program was not found; the graph is shown as DOT text. Install it with: {command}",
        },
        # GraphExplorer
        "viz.input": {"es": "entrada", "en": "input"},
        "viz.gradient": {"es": "gradiente", "en": "gradient"},
        "viz.not_used": {
            "es": "no interviene en este cálculo (grad = None)",
            "en": "not used in this computation (grad = None)",
        },
        "viz.error": {
            "es": "Error al evaluar la función: {error}",
            "en": "Error while evaluating the function: {error}",
        },
        "viz.not_tensor": {
            "es": "la función debe devolver un tensor; devolvió {kind}",
            "en": "the function must return a tensor; it returned {kind}",
        },
        "viz.no_grad_output": {
            "es": "la salida no depende de ninguna entrada con requires_grad=True",
            "en": "the output does not depend on any input with requires_grad=True",
        },
        "viz.change_branch": {
            "es": "el grafo cambió de rama: ahora {now} (antes {before})",
            "en": "the graph took another branch: now {now} (before {before})",
        },
        "viz.change_both": {
            "es": "el grafo cambió: aparece {now}; desaparece {before}",
            "en": "the graph changed: {now} appeared; {before} vanished",
        },
        "viz.change_added": {
            "es": "el grafo creció: aparece {now}",
            "en": "the graph grew: {now} appeared",
        },
        "viz.change_removed": {
            "es": "el grafo se redujo: desaparece {before}",
            "en": "the graph shrank: {before} vanished",
        },
        # SensitivityExplorer
        "viz.gap": {"es": "diferencia", "en": "gap"},
        "viz.no_influence": {
            "es": "este parámetro no influye localmente",
            "en": "this parameter has no local influence",
        },
        "viz.readout_title": {
            "es": "{name}: real {real} · predicho {predicted} · diferencia {gap}",
            "en": "{name}: real {real} · predicted {predicted} · gap {gap}",
        },
        "viz.tangent": {"es": "tangente (autograd)", "en": "tangent (autograd)"},
        "viz.function": {"es": "función", "en": "function"},
        "viz.readout": {
            "es": "{name}: grad = {grad} · dx = {dx} → real {real}, predicho {predicted}, diferencia {gap}",
            "en": "{name}: grad = {grad} · dx = {dx} → real {real}, predicted {predicted}, gap {gap}",
        },
        # BackwardStepper
        "viz.first": {"es": "Inicio", "en": "First"},
        "viz.previous": {"es": "Anterior", "en": "Previous"},
        "viz.next": {"es": "Siguiente", "en": "Next"},
        "viz.last": {"es": "Final", "en": "Last"},
        "viz.step": {"es": "paso", "en": "step"},
        "viz.step_title": {"es": "Paso {index} de {total}: {node}", "en": "Step {index} of {total}: {node}"},
        "viz.seed": {
            "es": "gradiente inicial d{name}/d{name} = {value}",
            "en": "initial gradient d{name}/d{name} = {value}",
        },
        "viz.incoming": {"es": "gradiente entrante: {value}", "en": "incoming gradient: {value}"},
        "viz.incoming_sum": {
            "es": "gradiente entrante = {terms} = {value} (llega por varios caminos: se suman)",
            "en": "incoming gradient = {terms} = {value} (it arrives along several paths: they add up)",
        },
        "viz.chain": {
            "es": "hacia {target}: derivada local {local} × entrante {incoming} = {sent}",
            "en": "to {target}: local derivative {local} × incoming {incoming} = {sent}",
        },
        "viz.vjp": {
            "es": "hacia {target}: producto vector-Jacobiano, formas {shapes}; enviado {sent}",
            "en": "to {target}: vector-Jacobian product, shapes {shapes}; sent {sent}",
        },
        "viz.accumulate": {"es": "{name}.grad = {expression}", "en": "{name}.grad = {expression}"},
        "viz.before": {"es": "(antes)", "en": "(before)"},
        "viz.grad_write": {
            "es": "{name}.grad: {before} → {after}",
            "en": "{name}.grad: {before} → {after}",
        },
        "viz.leaf": {"es": "hoja", "en": "leaf"},
        # TrainingMonitor and plots
        "viz.loss": {"es": "pérdida", "en": "loss"},
        "viz.accuracy": {"es": "exactitud", "en": "accuracy"},
        "viz.progress": {"es": "paso {done}/{total}", "en": "step {done}/{total}"},
        "viz.steps": {"es": "paso", "en": "step"},
        "viz.boundary": {"es": "frontera de decisión", "en": "decision boundary"},
        "viz.layer": {"es": "capa {name} ({kind})", "en": "layer {name} ({kind})"},
        "viz.grad_norms": {"es": "norma del gradiente por capa", "en": "gradient norm per layer"},
        # doctor
        "viz.doctor.title": {
            "es": "autograd-lab doctor: comprobando el entorno",
            "en": "autograd-lab doctor: checking the environment",
        },
        "viz.doctor.ok": {"es": "ok", "en": "ok"},
        "viz.doctor.missing": {"es": "FALTA", "en": "MISSING"},
        "viz.doctor.old": {"es": "ANTIGUO", "en": "TOO OLD"},
        "viz.doctor.install": {"es": "instálalo con: {command}", "en": "install it with: {command}"},
        "viz.doctor.all_good": {"es": "Todo listo.", "en": "All good."},
        "viz.doctor.problems": {
            "es": "Hay {count} problema(s); arréglalos con los comandos de arriba.",
            "en": "{count} problem(s) found; fix them with the commands above.",
        },
        "viz.doctor.optional": {"es": "opcional", "en": "optional"},
    }
)
