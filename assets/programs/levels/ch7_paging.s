; ch7_paging.s — a guest kernel that keeps remapping pages (the "ptemod" pattern).
;
; It builds its page tables (RAM identity-mapped, plus an empty table for a scratch
; area), turns paging on, then ROUNDS times: points the PAGES scratch pages at fresh
; frames (a page-table write and an invlpg each), and writes and reads every page.
; Expected output: "remapped 32 pages, checksum 48", exit code 0.
;
; Guest form (a paravirtualized kernel, as Xen's): GUEST_remap collects the round's
; page-table updates in a list and hands them to the hypervisor in ONE mmu_update
; hypercall, which checks each one (the guest may not map memory it does not own).
;ko: ch7_paging.s — 페이지 매핑을 계속 바꾸는 게스트 커널("ptemod" 패턴).
;ko:
;ko: 페이지 테이블을 만들고(RAM은 항등 매핑, 작업 영역에는 빈 테이블 하나), 페이징을 켠 뒤
;ko: ROUNDS번 반복합니다: 작업 영역의 PAGES개 페이지가 새 프레임을 가리키게 하고(페이지마다
;ko: 페이지 테이블 쓰기 한 번과 invlpg 한 번), 모든 페이지에 쓰고 읽습니다.
;ko: 예상 출력: "remapped 32 pages, checksum 48", 종료 코드 0.
;ko:
;ko: 게스트 형태(Xen 같은 반가상화 커널): GUEST_remap은 한 바퀴 동안의 페이지 테이블 갱신을
;ko: 목록에 모았다가 mmu_update 하이퍼콜 단 한 번으로 하이퍼바이저에 넘깁니다. 하이퍼바이저는
;ko: 갱신을 하나하나 검사합니다(게스트는 자기 것이 아닌 메모리를 매핑할 수 없음).

.equ PAGES, 8
.equ ROUNDS, 4
.equ SCRATCH, 0x00400000        ; virtual address of the scratch area (directory entry 1)
                                ;ko: 작업 영역의 가상 주소(페이지 디렉터리 항목 1)
.equ FRAMES, 0x00040000         ; the frames the scratch pages take turns to map
                                ;ko: 작업 영역 페이지들이 번갈아 매핑하는 프레임
.equ PTE_PW, 3                  ; present, writable
                                ;ko: 존재함(present), 쓰기 가능
.equ HC_MMU_UPDATE, 1           ; hypercall: ebx = [(pte address, value)…], ecx = count
                                ;ko: 하이퍼콜: ebx = [(PTE 주소, 값)…], ecx = 개수
.equ GUEST_remap, 0

_start:
    mov esp, 0x80000
    mov edi, pt_ram             ; identity-map the first 1 MiB
                                ;ko: 처음 1 MiB를 항등 매핑
    mov eax, PTE_PW
    mov ecx, 256
identity:
    mov [edi], eax
    add eax, 4096
    add edi, 4
    loop identity
    mov eax, pt_ram
    or eax, PTE_PW
    mov [pgdir], eax
    mov eax, pt_scratch
    or eax, PTE_PW
    mov [pgdir + 4], eax
    mov eax, pgdir
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80010001          ; paging, write protect, protected mode
                                ;ko: 페이징, 쓰기 보호, 보호 모드
    mov cr0, eax
    xor ebp, ebp                ; ebp = round, edx = checksum
                                ;ko: ebp = 바퀴 수, edx = 체크섬
    xor edx, edx
round:
    xor esi, esi                ; esi = page
                                ;ko: esi = 페이지 번호
map_page:
    mov edi, esi                ; edi = the page's entry in the scratch table
                                ;ko: edi = 작업 영역 테이블에서 이 페이지의 항목
    shl edi, 2
    add edi, pt_scratch
    mov eax, ebp                ; eax = frame: FRAMES + (round % 2) * PAGES pages + page
                                ;ko: eax = 프레임: FRAMES + (바퀴 수 % 2) * PAGES 페이지 + 페이지 번호
    and eax, 1
    imul eax, PAGES
    add eax, esi
    shl eax, 12
    add eax, FRAMES
    or eax, PTE_PW
remap:
.if GUEST_remap
    mov ebx, esi                ; modified: queue (entry, value) for one mmu_update
                                ;ko: 수정된 형태: (항목, 값)을 mmu_update 한 번에 보낼 목록에 넣음
    shl ebx, 3
    add ebx, requests
    mov [ebx], edi
    mov [ebx + 4], eax
.else
    mov [edi], eax              ; slot `remap`: a store into a page table (innocuous)
                                ;ko: 슬롯 `remap`: 페이지 테이블에 쓰기(무해한 명령)
.endif
    mov ebx, esi
    shl ebx, 12
    add ebx, SCRATCH
flush:
    invlpg [ebx]                ; slot `flush`: privileged
                                ;ko: 슬롯 `flush`: 특권 명령
    inc esi
    cmp esi, PAGES
    jne map_page
.if GUEST_remap
    push edx
    mov eax, HC_MMU_UPDATE
    mov ebx, requests
    mov ecx, PAGES
    vmcall
    pop edx
.endif
    xor esi, esi
touch_page:
    mov ebx, esi
    shl ebx, 12
    add ebx, SCRATCH
touch:
    mov [ebx], ebp              ; slot `touch`: innocuous (a store to the page)
                                ;ko: 슬롯 `touch`: 무해한 명령(페이지에 쓰기)
    add edx, [ebx]
    inc esi
    cmp esi, PAGES
    jne touch_page
    inc ebp
    cmp ebp, ROUNDS
    jne round
    mov ebx, edx
    mov esi, s_done
    call puts
    mov eax, ebx
    call print_dec
    mov eax, 10
    out 0xE9, eax
    xor eax, eax
    out 0xF4, eax               ; power off, exit code 0
                                ;ko: 전원 끄기, 종료 코드 0

; the library's console routines: puts prints the string at esi, print_dec the number in eax
;ko: 라이브러리의 콘솔 루틴: puts는 esi가 가리키는 문자열을, print_dec는 eax의 수를 출력
.include "console.s"

s_done: .asciz "remapped 32 pages, checksum "
.align 4096
requests:   .zero PAGES * 8
.align 4096
pgdir:      .zero 4096
pt_ram:     .zero 4096
pt_scratch: .zero 4096
