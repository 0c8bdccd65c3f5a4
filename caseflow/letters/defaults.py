# ruff: noqa: E501  (letter paragraphs are prose: one line each, as an administrator will edit them)
"""The letters CaseFlow ships, in each language (formal register, terms of docs/glossary.md).

An administrator's edit replaces one of them for one language; resetting brings the text below back.
"""

from __future__ import annotations

from caseflow.models.letters import LetterKind

SIGN = "{investigator}\n{unit}"
_EN_CLOSE, _FR_CLOSE = "Yours sincerely,", "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos " \
                                            "salutations distinguées."
_ES_CLOSE, _PT_CLOSE, _AR_CLOSE = "Atentamente,", "Com os melhores cumprimentos,", "وتفضلوا بقبول فائق الاحترام والتقدير،"

DEFAULTS: dict[LetterKind, dict[str, tuple[str, str]]] = {
    LetterKind.SUBJECT_NOTICE: {
        "en": ("Notice of allegations — case {case_number}", f"""Dear {{subject_name}},

We inform you that an administrative investigation has been opened under case number {{case_number}}. It concerns the following allegations about you:

{{allegations}}

These allegations do not prejudge the outcome of the investigation. You have the right to be heard, to submit observations and any document you consider relevant, and to be accompanied by a person of your choice at any interview.

We remind you that this procedure is subject to a duty of confidentiality. Any form of retaliation against the persons who reported the facts or gave evidence is strictly prohibited and may lead to disciplinary proceedings.

For any question, you may contact the investigator in charge of the case, quoting the reference above.

{_EN_CLOSE}

{SIGN}"""),
        "fr": ("Notification d'allégations — dossier {case_number}", f"""Madame, Monsieur,

Nous vous informons qu'une enquête administrative a été ouverte sous le numéro de dossier {{case_number}}. Elle porte sur les allégations suivantes, qui vous concernent :

{{allegations}}

Ces allégations ne préjugent en rien des conclusions de l'enquête. Vous avez le droit d'être entendu, de présenter vos observations et tout document que vous jugeriez utile, et de vous faire assister par une personne de votre choix lors de tout entretien.

Nous vous rappelons que cette procédure est soumise à une obligation de confidentialité. Toute forme de représailles à l'encontre des personnes qui ont signalé les faits ou apporté leur témoignage est strictement interdite et peut donner lieu à des poursuites disciplinaires.

Pour toute question, vous pouvez prendre contact avec l'enquêteur chargé du dossier en rappelant la référence ci-dessus.

{_FR_CLOSE}

{SIGN}"""),
        "es": ("Notificación de alegaciones — expediente {case_number}", f"""Estimado/a señor/a:

Le comunicamos que se ha abierto una investigación administrativa con el número de expediente {{case_number}}, relativa a las siguientes alegaciones que le conciernen:

{{allegations}}

Estas alegaciones no prejuzgan el resultado de la investigación. Tiene usted derecho a ser oído/a, a formular observaciones y a aportar cualquier documento que estime pertinente, así como a estar acompañado/a por una persona de su elección en toda entrevista.

Le recordamos que este procedimiento está sujeto al deber de confidencialidad. Queda terminantemente prohibida cualquier forma de represalia contra las personas que hayan informado de los hechos o prestado testimonio, que podrá dar lugar a responsabilidad disciplinaria.

Para cualquier consulta, puede dirigirse al investigador a cargo del expediente indicando la referencia arriba mencionada.

{_ES_CLOSE}

{SIGN}"""),
        "pt": ("Notificação de alegações — processo {case_number}", f"""Exmo.(a) Senhor(a),

Informamos V. Ex.ª de que foi aberta uma investigação administrativa com o número de processo {{case_number}}, relativa às seguintes alegações que lhe dizem respeito:

{{allegations}}

Estas alegações não antecipam as conclusões da investigação. V. Ex.ª tem o direito de ser ouvido(a), de apresentar observações e quaisquer documentos que considere pertinentes, e de se fazer acompanhar por uma pessoa da sua escolha em qualquer entrevista.

Recordamos que este procedimento está sujeito ao dever de confidencialidade. É expressamente proibida qualquer forma de retaliação contra as pessoas que tenham comunicado os factos ou prestado depoimento, a qual pode dar lugar a procedimento disciplinar.

Para qualquer esclarecimento, V. Ex.ª poderá contactar o investigador responsável pelo processo, indicando a referência acima.

{_PT_CLOSE}

{SIGN}"""),
        "ar": ("إشعار بالادعاءات — القضية رقم {case_number}", f"""السيد/السيدة {{subject_name}} المحترم/ة،

نحيطكم علمًا بأنه قد فُتح تحقيق إداري في القضية رقم {{case_number}} بشأن الادعاءات التالية المتعلقة بكم:

{{allegations}}

لا تعني هذه الادعاءات بأي حال من الأحوال حكمًا مسبقًا على نتائج التحقيق. ويحق لكم أن يُستمع إليكم، وأن تقدموا ملاحظاتكم وأي مستندات ترونها مفيدة، وأن يرافقكم شخص من اختياركم في أي مقابلة.

ونذكّركم بأن هذا الإجراء يخضع لواجب السرية. ويُحظر حظرًا تامًا أي شكل من أشكال الانتقام من الأشخاص الذين أبلغوا عن الوقائع أو أدلوا بشهاداتهم، وقد يترتب على ذلك مساءلة تأديبية.

لأي استفسار، يمكنكم التواصل مع المحقق المكلف بالقضية مع ذكر المرجع أعلاه.

{_AR_CLOSE}

{SIGN}"""),
    },
    LetterKind.INTERVIEW_INVITATION: {
        "en": ("Invitation to an interview — case {case_number}", f"""Dear {{interviewee_name}},

In the course of the administrative investigation {{case_number}}, we would like to hear you. You are invited to an interview on {{interview_date}} at {{interview_time}}, at the following place: {{interview_place}}.

You may be accompanied by a person of your choice. Please bring an identity document and any document you consider relevant.

If you are unable to attend, please let us know as soon as possible so that another date can be arranged.

The interview and its content are confidential. Please do not discuss them with other persons involved in the matter.

{_EN_CLOSE}

{SIGN}"""),
        "fr": ("Invitation à un entretien — dossier {case_number}", f"""Madame, Monsieur,

Dans le cadre de l'enquête administrative {{case_number}}, nous souhaitons recueillir vos déclarations. Nous vous invitons à un entretien le {{interview_date}} à {{interview_time}}, au lieu suivant : {{interview_place}}.

Vous pouvez vous faire accompagner par une personne de votre choix. Nous vous prions de vous munir d'une pièce d'identité ainsi que de tout document que vous jugeriez utile.

En cas d'empêchement, nous vous remercions de nous en informer dans les meilleurs délais afin de convenir d'une autre date.

L'entretien et son contenu sont confidentiels. Nous vous prions de ne pas vous en entretenir avec les autres personnes concernées par cette affaire.

{_FR_CLOSE}

{SIGN}"""),
        "es": ("Invitación a una entrevista — expediente {case_number}", f"""Estimado/a señor/a:

En el marco de la investigación administrativa del expediente {{case_number}}, deseamos escuchar su declaración. Le invitamos a una entrevista el {{interview_date}} a las {{interview_time}}, en el siguiente lugar: {{interview_place}}.

Puede acudir acompañado/a de una persona de su elección. Le rogamos que traiga un documento de identidad y cualquier documento que considere pertinente.

Si no pudiera asistir, le rogamos que nos lo comunique lo antes posible para fijar otra fecha.

La entrevista y su contenido son confidenciales. Le rogamos que no los comente con otras personas relacionadas con el asunto.

{_ES_CLOSE}

{SIGN}"""),
        "pt": ("Convite para entrevista — processo {case_number}", f"""Exmo.(a) Senhor(a),

No âmbito da investigação administrativa do processo {{case_number}}, pretendemos ouvir V. Ex.ª. Convidamo-lo(a) para uma entrevista no dia {{interview_date}}, às {{interview_time}}, no seguinte local: {{interview_place}}.

V. Ex.ª pode fazer-se acompanhar por uma pessoa da sua escolha. Solicitamos que traga um documento de identificação e quaisquer documentos que considere pertinentes.

Caso não possa comparecer, agradecemos que nos informe com a maior brevidade possível, a fim de ser marcada outra data.

A entrevista e o seu conteúdo são confidenciais. Solicitamos que não os comente com outras pessoas envolvidas no assunto.

{_PT_CLOSE}

{SIGN}"""),
        "ar": ("دعوة إلى مقابلة — القضية رقم {case_number}", f"""السيد/السيدة {{interviewee_name}} المحترم/ة،

في إطار التحقيق الإداري الجاري في القضية رقم {{case_number}}، نود الاستماع إلى أقوالكم. لذا ندعوكم إلى مقابلة يوم {{interview_date}} في الساعة {{interview_time}}، في المكان التالي: {{interview_place}}.

يجوز لكم اصطحاب شخص من اختياركم. ونرجو منكم إحضار وثيقة إثبات الهوية وأي مستندات ترونها ذات صلة.

وفي حال تعذّر حضوركم، نرجو إبلاغنا في أقرب وقت ممكن لتحديد موعد آخر.

تخضع المقابلة ومضمونها للسرية. ونرجو منكم عدم مناقشتهما مع الأشخاص الآخرين المعنيين بهذه المسألة.

{_AR_CLOSE}

{SIGN}"""),
    },
    LetterKind.REFERRAL: {
        "en": ("Referral of case {case_number}", f"""Dear Sir or Madam,

We hereby refer case {{case_number}} to you, as the facts it concerns appear to fall within your competence. The allegations examined are the following:

{{allegations}}

The file sent with this letter is confidential. The identity of the person who reported the facts is protected by law and does not appear in it; it may be disclosed only in the cases and with the safeguards the law provides.

We would be grateful if you would acknowledge receipt of this referral and inform us of the action taken on it, quoting our reference {{case_number}}.

Yours faithfully,

{SIGN}"""),
        "fr": ("Renvoi du dossier {case_number}", f"""Madame, Monsieur,

Nous vous renvoyons par la présente le dossier {{case_number}}, les faits qu'il concerne paraissant relever de votre compétence. Les allégations examinées sont les suivantes :

{{allegations}}

Le dossier joint à la présente est confidentiel. L'identité de la personne qui a signalé les faits est protégée par la loi et n'y figure pas ; elle ne peut être divulguée que dans les cas et avec les garanties prévus par la loi.

Nous vous saurions gré de bien vouloir accuser réception de ce renvoi et de nous informer des suites qui y seront données, en rappelant notre référence {{case_number}}.

Nous vous prions d'agréer, Madame, Monsieur, l'expression de notre haute considération.

{SIGN}"""),
        "es": ("Remisión del expediente {case_number}", f"""Estimado/a señor/a:

Por la presente le remitimos el expediente {{case_number}}, dado que los hechos a los que se refiere parecen ser de su competencia. Las alegaciones examinadas son las siguientes:

{{allegations}}

La documentación adjunta es confidencial. La identidad de la persona que informó de los hechos está protegida por la ley y no figura en ella; solo podrá revelarse en los casos y con las garantías previstos legalmente.

Le agradeceríamos que acusara recibo de esta remisión y nos informara de las actuaciones que se lleven a cabo, indicando nuestra referencia {{case_number}}.

{_ES_CLOSE}

{SIGN}"""),
        "pt": ("Remessa do processo {case_number}", f"""Exmos. Senhores,

Pela presente, remetemos a V. Ex.as o processo {{case_number}}, uma vez que os factos a que se refere parecem ser da vossa competência. As alegações examinadas são as seguintes:

{{allegations}}

A documentação anexa é confidencial. A identidade da pessoa que comunicou os factos está protegida por lei e dela não consta; só pode ser divulgada nos casos e com as garantias previstos na lei.

Agradecemos que acusem a receção desta remessa e nos informem do seguimento que lhe for dado, indicando a nossa referência {{case_number}}.

{_PT_CLOSE}

{SIGN}"""),
        "ar": ("إحالة القضية رقم {case_number}", f"""السادة المحترمون،

نحيل إليكم بموجب هذا الكتاب القضية رقم {{case_number}}، إذ يبدو أن الوقائع التي تتعلق بها تدخل ضمن اختصاصكم. والادعاءات التي جرى النظر فيها هي التالية:

{{allegations}}

إن الملف المرفق بهذا الكتاب سري. وهوية الشخص الذي أبلغ عن الوقائع محمية بموجب القانون ولا ترد فيه، ولا يجوز الكشف عنها إلا في الحالات ووفق الضمانات التي ينص عليها القانون.

ونكون ممتنين لو تفضلتم بالإشعار باستلام هذه الإحالة وإعلامنا بالإجراءات المتخذة بشأنها، مع ذكر مرجعنا {{case_number}}.

{_AR_CLOSE}

{SIGN}"""),
    },
    LetterKind.ACKNOWLEDGEMENT: {
        "en": ("Acknowledgement of receipt of your complaint — case {case_number}", f"""Dear {{complainant_name}},

We acknowledge receipt of your complaint, received on {{received_date}} and registered under case number {{case_number}}. Please quote this number in any correspondence.

Your complaint will be examined. We will inform you of the action taken on it within three months of this acknowledgement.

Your identity and the information you have provided are treated as confidential. No one may suffer retaliation for having made a complaint in good faith; if you believe you are subjected to retaliation, please inform us without delay.

{_EN_CLOSE}

{SIGN}"""),
        "fr": ("Accusé de réception de votre plainte — dossier {case_number}", f"""Madame, Monsieur,

Nous accusons réception de votre plainte, reçue le {{received_date}} et enregistrée sous le numéro de dossier {{case_number}}. Nous vous remercions de rappeler ce numéro dans toute correspondance.

Votre plainte sera examinée. Nous vous informerons des suites qui y auront été données dans un délai de trois mois à compter du présent accusé de réception.

Votre identité et les informations que vous nous avez communiquées sont traitées de manière confidentielle. Nul ne peut faire l'objet de représailles pour avoir déposé une plainte de bonne foi ; si vous estimez en subir, nous vous prions de nous en informer sans délai.

{_FR_CLOSE}

{SIGN}"""),
        "es": ("Acuse de recibo de su denuncia — expediente {case_number}", f"""Estimado/a señor/a:

Acusamos recibo de su denuncia, recibida el {{received_date}} y registrada con el número de expediente {{case_number}}. Le rogamos que indique este número en toda comunicación.

Su denuncia será examinada. Le informaremos de las actuaciones llevadas a cabo en un plazo de tres meses a partir del presente acuse de recibo.

Su identidad y la información que nos ha facilitado se tratan de forma confidencial. Nadie puede sufrir represalias por haber presentado una denuncia de buena fe; si considera que es objeto de represalias, le rogamos que nos lo comunique sin demora.

{_ES_CLOSE}

{SIGN}"""),
        "pt": ("Aviso de receção da sua queixa — processo {case_number}", f"""Exmo.(a) Senhor(a),

Acusamos a receção da sua queixa, recebida em {{received_date}} e registada com o número de processo {{case_number}}. Solicitamos que indique este número em toda a correspondência.

A sua queixa será analisada. Informaremos V. Ex.ª do seguimento que lhe for dado no prazo de três meses a contar do presente aviso de receção.

A sua identidade e as informações que nos prestou são tratadas de forma confidencial. Ninguém pode ser alvo de retaliação por ter apresentado uma queixa de boa-fé; caso considere estar a ser alvo de retaliação, solicitamos que nos informe sem demora.

{_PT_CLOSE}

{SIGN}"""),
        "ar": ("الإشعار باستلام شكواكم — القضية رقم {case_number}", f"""السيد/السيدة {{complainant_name}} المحترم/ة،

نُشعركم باستلام شكواكم الواردة بتاريخ {{received_date}} والمسجلة تحت رقم القضية {{case_number}}. ونرجو منكم ذكر هذا الرقم في أي مراسلة.

سيجري النظر في شكواكم، وسنُعلمكم بالإجراءات المتخذة بشأنها في غضون ثلاثة أشهر من تاريخ هذا الإشعار.

تُعامَل هويتكم والمعلومات التي قدمتموها بسرية. ولا يجوز أن يتعرض أي شخص للانتقام بسبب تقديمه شكوى بحسن نية؛ وإذا رأيتم أنكم تتعرضون للانتقام، نرجو إبلاغنا دون تأخير.

{_AR_CLOSE}

{SIGN}"""),
    },
}
