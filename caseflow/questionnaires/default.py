"""The default customs questionnaire, in the five languages, installed by `flask caseflow init` and the demo.

The texts follow docs/glossary.md (formal register; European Portuguese; Arabic addressing the reader directly,
as the portal's catalog does).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caseflow import audit
from caseflow.clock import utcnow
from caseflow.extensions import db
from caseflow.models.questionnaires import Question, QuestionKind, Questionnaire, QuestionnaireStatus, QuestionnaireStep

KEY = "customs"


def t(en: str, fr: str, es: str, pt: str, ar: str) -> dict[str, str]:
    """Return one text in the five languages."""
    return {"en": en, "fr": fr, "es": es, "pt": pt, "ar": ar}


TITLE = t("Report to the customs integrity unit", "Signalement à l'unité d'intégrité des douanes",
          "Denuncia ante la unidad de integridad de aduanas", "Denúncia à unidade de integridade aduaneira",
          "بلاغ إلى وحدة النزاهة الجمركية")

KINDS = [
    ("bribe", t("A payment or gift was demanded or offered", "Un paiement ou un cadeau a été exigé ou proposé",
                "Se exigió u ofreció un pago o un regalo", "Foi exigido ou oferecido um pagamento ou um presente",
                "طُلب دفع مبلغ أو تقديم هدية أو عُرض ذلك")),
    ("release", t("Goods were let through without the proper control",
                  "Des marchandises ont été laissées passer sans le contrôle requis",
                  "Se dejaron pasar mercancías sin el control debido",
                  "Foram deixadas passar mercadorias sem o controlo devido",
                  "سُمح بمرور بضائع دون المراقبة المطلوبة")),
    ("declaration", t("A false value, quantity or origin was declared or accepted",
                      "Une valeur, une quantité ou une origine fausse a été déclarée ou acceptée",
                      "Se declaró o aceptó un valor, una cantidad o un origen falsos",
                      "Foi declarado ou aceite um valor, uma quantidade ou uma origem falsos",
                      "صُرّح بقيمة أو كمية أو منشأ غير صحيح أو قُبل ذلك")),
    ("abuse", t("Abuse of authority or harassment", "Abus d'autorité ou harcèlement",
                "Abuso de autoridad o acoso", "Abuso de autoridade ou assédio", "إساءة استعمال السلطة أو التحرش")),
    ("other", t("Something else", "Autre chose", "Otra cosa", "Outra situação", "أمر آخر")),
]

SHIFTS = [
    ("morning", t("Morning", "Matin", "Mañana", "Manhã", "الصباحية")),
    ("afternoon", t("Afternoon or evening", "Après-midi ou soirée", "Tarde", "Tarde", "المسائية")),
    ("night", t("Night", "Nuit", "Noche", "Noite", "الليلية")),
    ("unknown", t("I don't know", "Je ne sais pas", "No lo sé", "Não sei", "لا أعرف")),
]


def _q(kind: QuestionKind, label: dict[str, str], help: dict[str, str] | None = None, required: bool = False,
       choices: list[tuple[str, dict[str, str]]] | None = None, when: tuple[str, str] | None = None,
       name: str = "") -> dict[str, Any]:
    return {"kind": kind, "label": label, "help": help or {}, "required": required, "when": when, "name": name,
            "choices": [{"value": v, "label": lab} for v, lab in choices or []]}


STEPS: list[tuple[dict[str, str], list[dict[str, Any]]]] = [
    (t("The incident", "Les faits", "Los hechos", "Os factos", "الواقعة"), [
        _q(QuestionKind.LONG_TEXT, t("What happened?", "Que s'est-il passé ?", "¿Qué ocurrió?", "O que aconteceu?",
                                     "ما الذي حدث؟"),
           t("Say what was done or asked, by whom, and what you saw or heard.",
             "Dites ce qui a été fait ou demandé, par qui, et ce que vous avez vu ou entendu.",
             "Indique qué se hizo o se pidió, quién lo hizo y qué vio u oyó.",
             "Diga o que foi feito ou pedido, por quem, e o que viu ou ouviu.",
             "اذكر ما الذي فُعل أو طُلب، ومن قام به، وما الذي رأيته أو سمعته."), required=True),
        _q(QuestionKind.DATE, t("When did it happen?", "Quand cela s'est-il passé ?", "¿Cuándo ocurrió?",
                                "Quando aconteceu?", "متى حدث ذلك؟"),
           t("The day, if you know it (year-month-day).", "Le jour, si vous le connaissez (année-mois-jour).",
             "El día, si lo conoce (año-mes-día).", "O dia, se o souber (ano-mês-dia).",
             "اليوم إن كنت تعرفه (السنة-الشهر-اليوم).")),
        _q(QuestionKind.SINGLE_CHOICE, t("What kind of wrongdoing?", "De quel type de manquement s'agit-il ?",
                                         "¿Qué tipo de irregularidad?", "Que tipo de irregularidade?",
                                         "ما نوع المخالفة؟"), required=True, choices=KINDS, name="kind"),
        _q(QuestionKind.YES_NO, t("Does it concern a customs declaration or a consignment?",
                                  "Les faits concernent-ils une déclaration en douane ou un envoi ?",
                                  "¿Se refiere a una declaración aduanera o a un envío?",
                                  "Diz respeito a uma declaração aduaneira ou a uma remessa?",
                                  "هل يتعلق الأمر بتصريح جمركي أو بشحنة؟"), required=True, name="declared"),
    ]),
    (t("Place and post", "Lieu et poste", "Lugar y puesto", "Local e posto", "المكان والمركز"), [
        _q(QuestionKind.SHORT_TEXT, t("Customs office or port", "Bureau de douane ou port",
                                      "Oficina de aduanas o puerto", "Estância aduaneira ou porto",
                                      "المكتب الجمركي أو الميناء"), required=True),
        _q(QuestionKind.SHORT_TEXT, t("Where exactly?", "Où exactement ?", "¿Dónde exactamente?",
                                      "Onde exatamente?", "أين بالتحديد؟"),
           t("Gate, terminal, lane, office room…", "Porte, terminal, couloir, bureau…",
             "Puerta, terminal, carril, despacho…", "Portão, terminal, faixa, gabinete…",
             "البوابة، المحطة، المسار، الغرفة…")),
        _q(QuestionKind.SINGLE_CHOICE, t("Which shift?", "Quelle équipe de service ?", "¿Qué turno?", "Que turno?",
                                         "أي وردية؟"), choices=SHIFTS),
        _q(QuestionKind.SHORT_TEXT, t("Declaration or consignment reference",
                                      "Référence de la déclaration ou de l'envoi",
                                      "Referencia de la declaración o del envío",
                                      "Referência da declaração ou da remessa", "مرجع التصريح أو الشحنة"),
           t("The declaration number, bill of lading, container or vehicle registration, if you know it.",
             "Le numéro de déclaration, le connaissement, le conteneur ou l'immatriculation du véhicule, si vous "
             "les connaissez.",
             "El número de declaración, el conocimiento de embarque, el contenedor o la matrícula del vehículo, "
             "si los conoce.",
             "O número da declaração, o conhecimento de embarque, o contentor ou a matrícula do veículo, se os "
             "souber.",
             "رقم التصريح أو سند الشحن أو رقم الحاوية أو لوحة المركبة، إن كنت تعرفه."), when=("declared", "yes")),
    ]),
    (t("People and amounts", "Personnes et montants", "Personas e importes", "Pessoas e montantes",
       "الأشخاص والمبالغ"), [
        _q(QuestionKind.PERSON, t("Person involved", "Personne mise en cause", "Persona denunciada",
                                  "Pessoa visada", "الشخص المشكو منه"),
           t("Name, badge number and post, if you know them. Leave empty otherwise.",
             "Nom, matricule et poste, si vous les connaissez. Sinon, laissez vide.",
             "Nombre, número de placa y puesto, si los conoce. Si no, déjelo en blanco.",
             "Nome, número de crachá e posto, se os souber. Caso contrário, deixe em branco.",
             "الاسم ورقم الشارة والمنصب إن كنت تعرفها، وإلا فاترك الحقول فارغة.")),
        _q(QuestionKind.PERSON, t("Another person involved", "Autre personne mise en cause",
                                  "Otra persona denunciada", "Outra pessoa visada", "شخص آخر مشكو منه")),
        _q(QuestionKind.AMOUNT, t("Amount demanded or paid", "Montant exigé ou versé", "Importe exigido o pagado",
                                  "Montante exigido ou pago", "المبلغ المطلوب أو المدفوع"),
           t("The amount and its currency.", "Le montant et sa devise.", "El importe y su moneda.",
             "O montante e a respetiva moeda.", "المبلغ وعملته."), when=("kind", "bribe")),
    ]),
    (t("Evidence", "Preuves", "Pruebas", "Provas", "الأدلة"), [
        _q(QuestionKind.FILE, t("Files (photos, documents, recordings)",
                                "Fichiers (photos, documents, enregistrements)",
                                "Archivos (fotos, documentos, grabaciones)",
                                "Ficheiros (fotografias, documentos, gravações)", "الملفات (صور، مستندات، تسجيلات)"),
           t("Photos and documents are stripped of hidden details (such as location and author) when we store them.",
             "Les photos et documents sont débarrassés de leurs détails cachés (comme le lieu et l'auteur) lorsque "
             "nous les conservons.",
             "Las fotos y documentos se limpian de datos ocultos (como la ubicación y el autor) al guardarlos.",
             "As fotografias e os documentos são limpos de dados ocultos (como a localização e o autor) quando os "
             "guardamos.",
             "تُزال التفاصيل المخفية (مثل الموقع والمؤلف) من الصور والمستندات عند حفظها.")),
        _q(QuestionKind.LONG_TEXT, t("How do you know? (saw it, was asked, heard about it)",
                                     "Comment le savez-vous ? (vu, sollicité, entendu dire)",
                                     "¿Cómo lo sabe? (lo vio, se lo pidieron, lo oyó)",
                                     "Como sabe? (viu, foi-lhe pedido, ouviu dizer)",
                                     "كيف عرفت ذلك؟ (رأيته، طُلب منك، سمعت به)")),
    ]),
]


def install_default_questionnaire() -> bool:
    """Install and publish the customs questionnaire unless its key exists; return whether it was installed."""
    if db.session.scalar(sa.select(Questionnaire.id).where(Questionnaire.key == KEY)) is not None:
        return False
    questionnaire = Questionnaire(key=KEY, version=1, status=QuestionnaireStatus.PUBLISHED, title=TITLE,
                                  published_at=utcnow())
    db.session.add(questionnaire)
    named: dict[str, Question] = {}
    pending: list[tuple[Question, tuple[str, str]]] = []
    for position, (title, questions) in enumerate(STEPS, start=1):
        step = QuestionnaireStep(position=position, title=title)
        questionnaire.steps.append(step)
        for index, spec in enumerate(questions, start=1):
            question = Question(position=index, kind=spec["kind"], required=spec["required"],
                                label=spec["label"], help=spec["help"], choices=spec["choices"])
            step.questions.append(question)
            if spec["name"]:
                named[spec["name"]] = question
            if spec["when"]:
                pending.append((question, spec["when"]))
    db.session.flush()
    for question, (name, value) in pending:
        question.condition_question_id, question.condition_value = named[name].id, value
    db.session.flush()
    audit.record("questionnaire.install", None, detail={"questionnaire": KEY, "version": 1})
    return True
